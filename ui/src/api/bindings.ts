// Generated from the Rust types by `UPDATE_BINDINGS=1 cargo test -p quanze-api --test bindings`.
// Do not edit by hand: a test fails when this file differs from the Rust types.
/* eslint-disable */

/**
 * A stable identity: a UUID, written lowercase with hyphens
 * (`0192f5c1-7a6e-7cc0-8d1e-2f3a4b5c6d7e`).
 */
export type Uid = string;

/**
 * Administrative level of a jurisdiction.
 */
export type Level = "区" | "街道" | "社区";

/**
 * The kind of a unit (机构类别).
 */
export type UnitKind = "行政" | "事业" | "派驻" | "议事协调" | "自治组织";

/**
 * Staffing facts of a unit (机构编制). Every figure is optional: legacy data often lacks some.
 */
export type Staffing = { 
/**
 * 行政编制
 */
admin_posts?: number | null, 
/**
 * 事业编制
 */
institution_posts?: number | null, 
/**
 * 实有人数
 */
actual_headcount?: number | null, 
/**
 * 领导职数（核定）
 */
leader_posts_approved?: number | null, 
/**
 * 领导职数（实配）
 */
leader_posts_actual?: number | null, };

/**
 * A district, a street (街道/镇) or a community (社区/村).
 */
export type Jurisdiction = { id: number, 
/**
 * Stable identity, kept through dump, load, import, export and merge (`identity.rs`).
 * The store gives one to every entity it writes without.
 */
uid?: Uid, parent?: number | null, name: string, level: Level, 
/**
 * What the place calls itself when it differs from the level's usual word: 镇 for a
 * street-level town, 村 for a community-level village.
 */
designation?: string | null, 
/**
 * 行政区划代码, when known.
 */
admin_code?: string | null, 
/**
 * Id of the org-chart template the place is organized on (`templates/org/*.yaml`).
 */
org_template?: string | null, 
/**
 * Contact phone printed on notices and posters (咨询电话).
 */
phone?: string | null, 
/**
 * Person responsible, printed on posters (责任人).
 */
responsible_person?: string | null, 
/**
 * A street's choice of what its communities' wall posters show; none: every list with
 * its handling unit (`PosterSettings::default`).
 */
poster_settings?: PosterSettings, };

/**
 * A body of a jurisdiction (机构): a district department, a street's big department or
 * centre, a community's 党委/居委会/工作站.
 */
export type Unit = { id: number, 
/**
 * Stable identity, kept through dump, load, import, export and merge (`identity.rs`).
 * The store gives one to every entity it writes without.
 */
uid?: Uid, jurisdiction: number, name: string, kind: UnitKind, 
/**
 * A unit inside another one (e.g. a 科室 of a department).
 */
parent?: number | null, 
/**
 * The slot of the jurisdiction's org template this unit fills, e.g. "城市管理部".
 */
template_slot?: string | null, staffing?: Staffing, 
/**
 * Leaders in charge (分管领导). The rule is exactly one; the model holds what is
 * recorded so that the checks can report zero or two.
 */
leaders_in_charge?: Array<number>, phone?: string | null, 
/**
 * A community unit's posts (岗位: 社区工作者, 网格员 …) with their approved and filled
 * numbers (`committee.rs`). Streets' units keep their figures in `staffing`.
 */
posts?: Array<UnitPost>, };

/**
 * A member of a jurisdiction's leadership (班子成员).
 */
export type Leader = { id: number, 
/**
 * Stable identity, kept through dump, load, import, export and merge (`identity.rs`).
 * The store gives one to every entity it writes without.
 */
uid?: Uid, jurisdiction: number, name: string, 
/**
 * 职务, e.g. 党工委书记, 办事处主任, 党工委委员、副主任.
 */
post: string, 
/**
 * A community's 两委 member: the committee seats held (书记、主任一肩挑 is two seats;
 * `committee.rs`). Empty for a street's or district's leaders.
 */
seats?: Array<CommitteeSeat>, };

/**
 * What a list is (清单类别).
 */
export type ListKind = "权责清单" | "基本履职" | "配合履职" | "上级部门收回" | "依法履职" | "协助政府" | "负面清单" | "证明事项" | "职责清单" | "任务清单" | "责任清单" | "社区服务清单";

/**
 * A list (清单) of a jurisdiction, or of one unit of it.
 */
export type DutyList = { id: number, 
/**
 * Stable identity, kept through dump, load, import, export and merge (`identity.rs`).
 * The store gives one to every entity it writes without.
 */
uid?: Uid, jurisdiction: number, unit?: number | null, kind: ListKind, name: string, note?: string | null, items?: Array<Item>, };

/**
 * The ten categories of 权力类型.
 */
export type PowerType = "行政许可" | "行政处罚" | "行政强制" | "行政征收" | "行政给付" | "行政检查" | "行政确认" | "行政奖励" | "行政裁决" | "其他行政权力";

/**
 * For a 配合履职 item: who leads, and where the boundary runs.
 */
export type Coordination = { 
/**
 * The district department leading the work (主责部门), when it is a known unit.
 */
lead_unit?: number | null, 
/**
 * The lead department as written (kept even when it matches a unit).
 */
lead_unit_text?: string | null, 
/**
 * 上级部门职责
 */
superior_duty?: string | null, 
/**
 * 街道配合职责
 */
street_duty?: string | null, };

/**
 * For a 上级部门收回 item: who took it back, and how it is done now.
 */
export type Withdrawal = { 
/**
 * 承接部门, when it is a known unit.
 */
receiving_unit?: number | null, receiving_unit_text?: string | null, 
/**
 * 工作方式
 */
working_method?: string | null, };

/**
 * Funding that comes with assigned work (费随事转).
 */
export type Funding = { 
/**
 * Amount in 万元 per year.
 */
amount_wan?: number | null, 
/**
 * 经费来源, e.g. 区财政专项.
 */
source?: string | null, };

/**
 * Staff that comes with assigned work (人随事走).
 */
export type StaffSupport = { count?: number | null, 
/**
 * How the staff is provided, e.g. 购买服务岗位2名.
 */
note?: string | null, };

/**
 * For a community 协助政府 item: who asked, and what came with the work.
 */
export type Assistance = { requesting_unit?: number | null, requesting_unit_text?: string | null, funding?: Funding, staff?: StaffSupport, 
/**
 * The admission request that admitted this item, when it came through the process.
 */
admission_request?: number | null, };

/**
 * A column kept verbatim from an imported workbook that maps to no standard field, so that
 * no cell is ever lost. Headers may repeat (duplicated header columns), so this is a list.
 */
export type ExtraField = { header: string, value: string, };

/**
 * Where an imported item came from.
 */
export type Provenance = { file: string, sheet: string, 
/**
 * 1-based row number of the item's first row, as a spreadsheet shows it.
 */
row: number, 
/**
 * Further rows merged into this item (continuation rows), 1-based.
 */
merged_rows?: Array<number>, };

/**
 * One entry of a list (事项). The standard fields of `docs/domain.md` §2 are real fields; the parts a
 * list kind needs are optional groups; anything else an import found is in `extra`.
 */
export type Item = { id: number, 
/**
 * Stable identity, kept through dump, load, import, export and merge (`identity.rs`).
 * The store gives one to every entity it writes without.
 */
uid?: Uid, 
/**
 * 序号 as written (`1`, `2,3`, `1.0` stays as the source had it).
 */
seq?: string | null, 
/**
 * 事项编码 / 职权编码.
 */
code?: string | null, 
/**
 * 事项名称
 */
name: string, 
/**
 * 子项名称
 */
sub_item?: string | null, 
/**
 * 权力类型 as recorded; [`PowerType::parse`] tells whether it is one of the ten.
 */
power_type?: string | null, 
/**
 * 类别 of street and community lists: 党的建设, 经济发展, 民生服务 …
 */
category?: string | null, 
/**
 * 实施依据
 */
basis?: string | null, 
/**
 * 行使主体
 */
subject?: string | null, 
/**
 * 承办机构, when it is a known unit.
 */
handling_unit?: number | null, 
/**
 * 承办机构 as written.
 */
handling_unit_text?: string | null, 
/**
 * 实施层级及权限
 */
level_and_authority?: string | null, 
/**
 * 部门职责
 */
department_duty?: string | null, 
/**
 * 责任事项内容
 */
responsibility?: string | null, 
/**
 * 责任事项依据
 */
responsibility_basis?: string | null, 
/**
 * 追责对象范围
 */
accountable_scope?: string | null, 
/**
 * 追责情形
 */
accountability_cases?: string | null, 
/**
 * 备注
 */
remarks?: string | null, 
/**
 * 监督电话
 */
supervision_phone?: string | null, 
/**
 * 证明事项: whether the community may issue this certificate (可出具 / 不得出具).
 */
certificate_allowed?: boolean | null, coordination?: Coordination | null, withdrawal?: Withdrawal | null, assistance?: Assistance | null, extra?: Array<ExtraField>, provenance?: Provenance | null, };

/**
 * State of an admission request (准入申请).
 */
export type AdmissionState = "申请" | "审核中" | "准入" | "驳回" | "撤销";

/**
 * One move of an admission request, kept forever.
 */
export type AdmissionStep = { state: AdmissionState, date: string, actor?: string | null, note?: string | null, };

/**
 * A department's application to put a 协助政府 item on a community's admission list.
 */
export type AdmissionRequest = { id: number, 
/**
 * Stable identity, kept through dump, load, import, export and merge (`identity.rs`).
 * The store gives one to every entity it writes without.
 */
uid?: Uid, 
/**
 * The community the work would go to.
 */
community: number, 
/**
 * The applying department.
 */
applicant_unit?: number | null, applicant_unit_text?: string | null, 
/**
 * Name of the work item asked for.
 */
item_name: string, content?: string | null, reason: string, 
/**
 * 依据 (law or policy).
 */
basis?: string | null, funding?: Funding, staff?: StaffSupport, applied_on: string, 
/**
 * The date the work would start in the community: the procedure asks for the application
 * 30 working days before it (`workdays.rs`).
 */
planned_start?: string | null, 
/**
 * The last day of the 15 working days after `applied_on` the 编办 has to decide in, fixed
 * when the request is made.
 */
decision_deadline?: string | null, 
/**
 * Requests made together for several communities (or every community of a street) share
 * this mark: one request per community, seen together by it.
 */
batch?: Uid | null, decided_on?: string | null, effective_on?: string | null, revoked_on?: string | null, 
/**
 * 审核意见
 */
review_opinion?: string | null, 
/**
 * 文号 of the decision.
 */
doc_no?: string | null, state: AdmissionState, 
/**
 * Every state the request has passed through, oldest first; the last one equals `state`.
 */
history?: Array<AdmissionStep>, 
/**
 * The 协助政府 item created when the request was admitted.
 */
admitted_item?: number | null, };

/**
 * A finding accepted with a written reason. `finding_key` is the stable key of the finding
 * (rule + subjects); `fingerprint` digests the subjects' content so that the waiver lapses
 * when they change.
 */
export type Waiver = { id: number, 
/**
 * Stable identity, kept through dump, load, import, export and merge (`identity.rs`).
 * The store gives one to every entity it writes without.
 */
uid?: Uid, finding_key: string, rule: string, reason: string, actor: string, at: string, fingerprint?: string | null, };

/**
 * A published, frozen version of a list (公布版本).
 */
export type Version = { id: number, 
/**
 * Stable identity, kept through dump, load, import, export and merge (`identity.rs`).
 * The store gives one to every entity it writes without.
 */
uid?: Uid, list: number, 
/**
 * 1, 2, 3 … per list.
 */
number: number, published_on: string, doc_no?: string | null, note?: string | null, 
/**
 * The list's items as they stood when published.
 */
items: Array<Item>, 
/**
 * The approved change requests (调整申请) this version published, in the order approved.
 */
changes?: Array<number>, 
/**
 * Why the version was published while the list had unwaived red findings (recorded
 * when the publisher overrode the refusal).
 */
despite_findings?: string | null, };

/**
 * What a package covers: a jurisdiction and everything under it, or chosen lists.
 */
export type PackageScope = { 
/**
 * The jurisdiction the package is about (for chosen lists: theirs).
 */
jurisdiction: Uid, 
/**
 * Its name, for people reading the file.
 */
jurisdiction_name: string, 
/**
 * Only these lists (empty: the whole jurisdiction).
 */
lists?: Array<Uid>, };

/**
 * Who made a package, what it covers and what it was made from.
 */
export type PackageHeader = { 
/**
 * The package's own identity: a later package names it as its base.
 */
uid: Uid, 
/**
 * The producing office (发出单位), e.g. `青川区委编办`, `青溪街道办事处`.
 */
office: string, 
/**
 * Who made it (操作人).
 */
actor: string, 
/**
 * When it was made, RFC 3339 with the local offset.
 */
made_at: string, scope: PackageScope, 
/**
 * Earlier packages this one was made from (the newest first): the packages the producing
 * database had sent or received for the same jurisdiction. A merge compares against the
 * first of them the receiving database knows.
 */
bases?: Array<Uid>, 
/**
 * SHA-256 (hex) of the canonical form, see the module documentation.
 */
content_sha256: string, };

/**
 * A whole dataset. Items live inside their lists; everything else is a flat, id-keyed table.
 */
export type Bundle = { format: string, format_version: number, title?: string | null, 
/**
 * Present when the bundle is a package for exchange (`package.rs`, `docs/exchange.md`).
 */
package?: PackageHeader, jurisdictions: Array<Jurisdiction>, units: Array<Unit>, leaders: Array<Leader>, lists: Array<DutyList>, admission_requests: Array<AdmissionRequest>, waivers: Array<Waiver>, versions: Array<Version>, 
/**
 * Change requests (调整申请), oldest first.
 */
change_requests?: Array<ChangeRequest>, };

/**
 * An inclusive range, e.g. 行政编制 15–25.
 */
export type Range = { min: number, max: number, };

/**
 * One place in a template, e.g. the 城市管理部 of 一办七部两中心.
 */
export type TemplateSlot = { 
/**
 * The slot's name, and the usual name of the unit that fills it.
 */
name: string, kind: UnitKind, 
/**
 * The part of the pattern the slot belongs to: "办", "部", "中心", "执法队伍" …
 */
group: string, 
/**
 * The street chooses the unit's own name (e.g. the one 特色工作部 of 包河).
 */
name_chosen_locally: boolean, 
/**
 * Other names the slot is known by (e.g. 综治中心 for 网格化服务中心).
 */
aliases?: Array<string>, 
/**
 * A community's committee (两委, or a village's 监委会): its members are the leaders who
 * hold a seat on it, and its head (书记 / 主任) must be named.
 */
committee?: Committee | null, 
/**
 * The committee's approved number of members (职数), when the template sets one.
 */
members?: Range | null, 
/**
 * One 两委 member is in charge of the unit (负责, e.g. of each 站 and 办).
 */
in_charge?: boolean, 
/**
 * The posts (岗位) a unit of this slot is created with, e.g. 网格员; their numbers are
 * set per community.
 */
posts?: Array<string>, };

/**
 * A named org-chart pattern with its slots and, where the source gives them, staffing limits.
 * Unknown keys are refused, so that a misspelt `members` does not switch a check off.
 */
export type OrgTemplate = { 
/**
 * Stable id referenced by `Jurisdiction::org_template`, e.g. `baohe-1-7-2`.
 */
id: string, 
/**
 * The pattern's own name, e.g. 一办七部两中心.
 */
name: string, 
/**
 * Where it comes from, e.g. 合肥市包河区.
 */
origin: string, 
/**
 * The level of jurisdiction it organizes.
 */
level: Level, description: string, slots: Array<TemplateSlot>, 
/**
 * 行政编制 of the whole jurisdiction, when the source sets a range.
 */
admin_posts?: Range | null, };

/**
 * A committee a community's members are elected to.
 */
export type Committee = "党组织" | "居委会" | "监委会";

/**
 * A seat on one committee. A person may hold several (书记、主任一肩挑; 交叉任职).
 */
export type CommitteeSeat = "党组织书记" | "党组织副书记" | "党组织委员" | "居委会主任" | "居委会副主任" | "居委会委员" | "监委会主任" | "监委会委员";

/**
 * A post (岗位) of a community unit, e.g. 网格员 of the 网格管理站: how many the approval
 * allows (核定) and how many are filled (实配). Either may be unknown.
 */
export type UnitPost = { 
/**
 * e.g. 网格员, 综合受理岗, 社区工作者.
 */
name: string, approved?: number | null, filled?: number | null, };

/**
 * One entry of the audit log.
 */
export type AuditEntry = { id: number, 
/**
 * Local time, RFC 3339.
 */
at: string, actor: string, 
/**
 * 新增 / 修改 / 删除
 */
action: string, 
/**
 * 辖区 / 机构 / 清单 / 事项 …
 */
entity: string, entity_id: number, 
/**
 * For an entry about a run of entities written at once (an import's items): the last of
 * them (`entity_id` is the first).
 */
entity_id_last?: number, 
/**
 * A name for the entity, as it was.
 */
label: string, before: JsonValue | null, after: JsonValue | null, reason: string | null, };

/**
 * How many rows of each kind a load wrote.
 */
export type LoadCounts = { jurisdictions: number, units: number, leaders: number, lists: number, items: number, admission_requests: number, waivers: number, versions: number, change_requests: number, };

/**
 * What went wrong, as a closed set the UI can branch on. Never branch on the message.
 */
export type ErrorCode = "not_found" | "invalid_input" | "invalid_bundle" | "database_too_new" | "not_a_database" | "read_only" | "procedure_refused" | "io" | "file_exists" | "database" | "font_missing" | "export" | "cancelled" | "printing" | "admission_refused" | "edit_conflict" | "permission_denied" | "internal";

/**
 * A failure: its code, and a message in Chinese for the user.
 */
export type ApiError = { code: ErrorCode, message: string, 
/**
 * The separate reasons the message joins, when a refusal has several (each objection of
 * the admission gate), so that a window can list them without reading the sentence apart.
 */
reasons?: Array<string>, };

/**
 * A list as shown in lists and trees: its place and its size, without items.
 */
export type ListSummary = { id: number, name: string, kind: ListKind, jurisdiction: number, jurisdiction_name: string, level: Level, unit: number | null, unit_name: string | null, items: number, };

/**
 * A node of the jurisdiction tree (区 → 街道 → 社区) with its counts.
 */
export type JurisdictionNode = { id: number, name: string, level: Level, designation: string | null, org_template: string | null, 
/**
 * Units of this jurisdiction itself.
 */
unit_count: number, 
/**
 * Lists of this jurisdiction itself (including its units' lists).
 */
list_count: number, 
/**
 * Items in those lists.
 */
item_count: number, 
/**
 * Items in this jurisdiction and every one below it.
 */
total_item_count: number, children: Array<JurisdictionNode>, };

/**
 * What the main window shows on opening.
 */
export type Overview = { database_path: string, 
/**
 * Opened read-only (no write permission): the app shows it and every change is refused.
 */
read_only: boolean, 
/**
 * No jurisdiction at all: a fresh database, for which the app offers the sample district.
 */
empty: boolean, item_count: number, tree: Array<JurisdictionNode>, lists: Array<ListSummary>, };

/**
 * A page of a list's items.
 */
export type ItemPage = { list: ListSummary, total: number, offset: number, items: Array<Item>, 
/**
 * Names of the units the items refer to (承办机构, 主责部门 …), by id.
 */
unit_names: { [key in number]: string }, };

/**
 * An item found by search, with the list it belongs to, the field where the query was found
 * and a snippet of that field around the match.
 */
export type SearchHit = { item: Item, list: ListSummary, 
/**
 * The field's label as the editor shows it (事项名称, 实施依据, an extra column's header).
 */
field: string, 
/**
 * The field's text around the first match (at most 60 characters, `…` where cut).
 */
snippet: string, };

export type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]: JsonValue } | null;

/**
 * A list's order and columns, without the items' contents.
 */
export type ListOutline = { list: ListSummary, 
/**
 * The items' ids by position: `ids.length` is the list's length.
 */
ids: Array<number>, 
/**
 * Standard fields that hold a value in at least one item (a unit field also by its unit).
 */
fields_used: Array<ItemField>, 
/**
 * Extra columns kept from imports: each header with the most times one item repeats it,
 * in order of first appearance.
 */
extra_headers: Array<ExtraHeader>, 
/**
 * Every 类别 written in the list, once each (the 类别 cell's choices).
 */
categories: Array<string>, };

export type ExtraHeader = { header: string, count: number, };

/**
 * The rows of a list holding the find box's text, in list order.
 */
export type ListFind = { 
/**
 * The list's length when it was read (the editor compares it with its own).
 */
total: number, rows: Array<FoundRow>, };

/**
 * A row with a match: its position, its item, and which of the asked fields match (indexes
 * into the request's `fields`, ascending).
 */
export type FoundRow = { position: number, item: number, fields: Array<number>, };

/**
 * A standard field of an item that can be set from text (a grid column).
 */
export type ItemField = "seq" | "code" | "name" | "sub_item" | "category" | "power_type" | "basis" | "subject" | "handling_unit" | "level_and_authority" | "department_duty" | "lead_unit" | "superior_duty" | "street_duty" | "receiving_unit" | "working_method" | "requesting_unit" | "funding_amount" | "funding_source" | "staff_count" | "staff_note" | "certificate" | "responsibility" | "responsibility_basis" | "accountable_scope" | "accountability_cases" | "supervision_phone" | "remarks";

/**
 * What a field holds, which decides how its text is read.
 */
export type FieldKind = "text" | "unit" | "power_type" | "amount" | "count" | "certificate";

/**
 * One row of the field table.
 */
export type FieldSpec = { field: ItemField, 
/**
 * The field's key: how `field` serializes (`sub_item`).
 */
key: string, 
/**
 * The column header users know (子项名称), in the editor, the importer and comparisons.
 */
label: string, 
/**
 * The header a printed notice gives the field (子项), or `None` when a notice prints it
 * only inside a combined column (经费保障, 人员保障).
 */
print_header: string | null, kind: FieldKind, };

/**
 * Which value of an item an edit sets: a standard field, or an extra field kept from an
 * import, named by its original header and, since headers may repeat, which of the fields
 * with that header (0 for the first). Naming the next index after the last adds the field.
 */
export type FieldRef = { "standard": ItemField } | { "extra": { header: string, index: number, } };

/**
 * A field and the text to set it to (empty text clears it).
 */
export type FieldValue = { field: FieldRef, value: string, };

/**
 * An item to insert at index `at` of the list. A new item has `id` 0 (the store assigns one);
 * an undo restores a deleted item with its old id. `values` are set on `item` first, with the
 * same reading and checks as [`ItemEdit::Set`] (a pasted row below the list's end).
 */
export type NewItem = { at: number, 
/**
 * The item this one follows. While that item is in the list, the new one goes right after
 * it, wherever it is now, and `at` is not used; when it is gone, `at` is, taken no further
 * than the list's end. The undo of a deletion carries it: rows another user inserted or
 * deleted above since would otherwise put the restored row in another row's place.
 */
after?: number, item: Item, values: Array<FieldValue>, };

/**
 * Where an item goes in a move: index `to` of the list after the move.
 */
export type Placement = { item: number, to: number, };

/**
 * One change to a list's items.
 */
export type ItemEdit = { "op": "set", item: number, field: FieldRef, value: string, 
/**
 * The field's text as the user saw it before the edit (trimmed; empty: it was empty).
 * When the item now holds another text there — another user changed the same field
 * meanwhile — nothing is saved and the edit fails with [`crate::ErrorCode::EditConflict`],
 * showing both values (unless the other user wrote the same text). Absent: not
 * compared, the edit sets the field whatever it holds now. Either way the other
 * fields of the item are the ones stored now: another user's change of them is kept.
 */
was?: string, } | { "op": "replace", item: Item, 
/**
 * The item as the edit being taken back left it (the batches Quanze returns as inverses
 * carry it). Then only what that edit changed is put back: a field another user changed
 * since keeps their value, and a field both changed is refused with
 * [`crate::ErrorCode::EditConflict`] and both values. Absent: the item is put back whole.
 */
expected?: Item, } | { "op": "insert", items: Array<NewItem>, } | { "op": "delete", items: Array<number>, } | { "op": "move", items: Array<Placement>, };

/**
 * Edits of one list that form one user action: applied in one transaction, audited under
 * `reason` (e.g. "修改事项名称", "粘贴 3 行 × 2 列"), undone as one.
 */
export type EditBatch = { list: number, reason: string, edits: Array<ItemEdit>, };

/**
 * An item with its index in the list.
 */
export type PlacedItem = { position: number, item: Item, };

/**
 * What applying a batch did.
 */
export type EditOutcome = { 
/**
 * The batch that undoes this one (apply it to undo; what that returns redoes).
 */
inverse: EditBatch, 
/**
 * Items whose content changed or that were inserted, as they are now, with their index.
 */
changed: Array<PlacedItem>, 
/**
 * Items deleted.
 */
removed: Array<number>, 
/**
 * Whether items already in the list other than `changed` ones changed their index (after
 * an insert, delete or move in the middle): the UI then reloads the list.
 */
reordered: boolean, 
/**
 * Items in the list now.
 */
total: number, };

/**
 * Where an item is: for jumping from a finding or a search hit to its row.
 */
export type ItemLocation = { item: number, list: number, jurisdiction: number, position: number, };

/**
 * How serious a finding is.
 */
export type Severity = "error" | "warning" | "info";

/**
 * The red / yellow / blue grade 编办 requirement lists use (红 = 超编进人、超职数配备、
 * 权责事项缺失 …; 蓝 = 职能重叠交叉 …).
 */
export type Grade = "red" | "yellow" | "blue";

/**
 * What a finding is about.
 */
export type SubjectKind = "item" | "unit" | "leader" | "list" | "jurisdiction" | "admission_request";

export type Subject = { kind: SubjectKind, id: number, 
/**
 * A name to show, with its place (e.g. 事项名称（区住建局权责清单）).
 */
label: string, };

/**
 * A piece of a text, marked when it is part of what the other text shares.
 */
export type TextSegment = { text: string, shared: boolean, };

/**
 * How sure the checks are that two items are one duty.
 */
export type OverlapConfidence = "strong" | "likely" | "possible";

/**
 * Why a finding was raised, in a form the UI can show side by side.
 */
export type Evidence = { "type": "similarity", score: number, left: Array<TextSegment>, right: Array<TextSegment>, confidence: OverlapConfidence | null, shared_basis: Array<string>, reasons: Array<string>, } | { "type": "figures", measure: string, actual: bigint, limit: string, } | { "type": "facts", lines: Array<string>, };

/**
 * One thing the checks found.
 */
export type Finding = { 
/**
 * Stable across runs: rule + subjects. Waivers refer to it.
 */
key: string, rule: string, severity: Severity, grade: Grade, title: string, message: string, subjects: Array<Subject>, 
/**
 * The jurisdictions the subjects belong to (an item's list's, a unit's …), distinct and
 * ascending: where the app's jurisdiction tree shows the finding's badge.
 */
jurisdictions: Array<number>, evidence: Evidence, 
/**
 * Digest of the subjects' content; a waiver given for another digest has lapsed.
 */
fingerprint: string, waived: boolean, 
/**
 * The reason of the waiver, when waived.
 */
waiver_reason: string | null, 
/**
 * A waiver exists for this key but the subjects have changed since.
 */
waiver_lapsed: boolean, };

export type Summary = { total: number, waived: number, errors: number, warnings: number, infos: number, red: number, yellow: number, blue: number, 
/**
 * Unwaived findings per rule id.
 */
by_rule: { [key in string]: number }, };

export type Report = { findings: Array<Finding>, summary: Summary, };

/**
 * The format of a file, as found in its bytes.
 */
export type Format = "xls" | "xlsx" | "xlsb" | "ods" | "csv";

/**
 * An item field a column maps onto. Serialized as the ids used in the synonym table.
 */
export type Field = "seq" | "code" | "name" | "sub_item" | "power_type" | "category" | "basis" | "subject" | "handling_unit" | "level_and_authority" | "department_duty" | "responsibility" | "responsibility_basis" | "accountable_scope" | "accountability_cases" | "remarks" | "supervision_phone" | "lead_unit" | "superior_duty" | "street_duty" | "receiving_unit" | "working_method";

/**
 * Map a column (letters, e.g. "H") to a field, or (`field: None`) keep it as an extra field.
 */
export type ColumnOverride = { column: string, field: Field | null, };

/**
 * A user's correction of one sheet, from the preview screen or the command line.
 */
export type SheetOverride = { 
/**
 * The file's name, when several files are imported at once (otherwise any file).
 */
file: string | null, 
/**
 * The sheet's name.
 */
sheet: string, 
/**
 * Leave the sheet out of the import.
 */
skip: boolean, 
/**
 * 1-based row of the header, instead of the detected one.
 */
header_row: number | null, 
/**
 * Columns mapped by hand.
 */
columns: Array<ColumnOverride>, };

/**
 * What the user chose for an import (serializable, so that the UI can send it).
 */
export type ImportOptions = { 
/**
 * Jurisdiction to file the items under (found by name, created when missing). Without
 * it: the only top-level jurisdiction of the database, else the place named by the
 * department ("克拉玛依市…局" → 克拉玛依市), else 未指定辖区.
 */
jurisdiction: string | null, 
/**
 * Unit (department) whose list receives the items (found or created). Without it: the
 * department inferred from each file.
 */
unit: string | null, list_kind: ListKind, 
/**
 * Plan and report only; write nothing.
 */
dry_run: boolean, 
/**
 * The user's corrections (header row, column fields, sheets left out).
 */
sheets: Array<SheetOverride>, };

/**
 * Options of a preview.
 */
export type PreviewOptions = { 
/**
 * Corrections to apply (re-preview after the user changed a header row or a column).
 */
sheets: Array<SheetOverride>, 
/**
 * How many items per sheet to return (default 20).
 */
sample_items: number | null, };

/**
 * How one column is read.
 */
export type ColumnMapping = { 
/**
 * Column letters, e.g. "H".
 */
column: string, 
/**
 * 1-based column number.
 */
index: number, 
/**
 * The header as written (line breaks folded); empty when the column has none.
 */
header: string, 
/**
 * The item field filled, when the column maps to one.
 */
field: Field | null, 
/**
 * The field's Chinese name, or "附加字段" for a column kept as an extra field.
 */
field_label: string, 
/**
 * For an extra field: the header it is kept under.
 */
extra_header: string | null, 
/**
 * The synonym of the table that matched.
 */
synonym: string | null, 
/**
 * 1 for the first column of a field; 2, 3 … for further columns of the same field
 * (a header spanning two columns, a duplicated header): their values are joined.
 */
part: number, 
/**
 * How the mapping was decided: 同义词 / 包含 / 合并表头 / 重复列 / 未识别 / 无表头 / 指定.
 */
source: string, };

/**
 * A row folded into an item (it created no item of its own).
 */
export type MergedRow = { 
/**
 * 1-based row number.
 */
row: number, 
/**
 * The row where the item starts.
 */
into_row: number, 
/**
 * 合并单元格 (a row inside vertically merged cells, with nothing of its own) or 续行 (a
 * row continuing text fields of the item above).
 */
kind: string, 
/**
 * Fields whose text the row added (续行).
 */
fields: Array<string>, };

/**
 * A row that became no item, with why, and its text (nothing disappears).
 */
export type SkippedRow = { row: number, reason: string, 
/**
 * The row's non-empty cells, " | " between them.
 */
text: string, };

/**
 * A value the workbook does not state but shows (sheet name, title, file name).
 */
export type Inference = { 
/**
 * Field label (权力类型 / 实施层级及权限 / 行使主体 / 部门 …).
 */
field: string, value: string, 
/**
 * Where it comes from, e.g. 工作表名称“行政处罚（254项）”.
 */
source: string, 
/**
 * Items that received it.
 */
items: number, };

/**
 * A row that is an item of its own but took fields it leaves blank from the item above.
 */
export type InheritedRow = { row: number, from_row: number, 
/**
 * 子项 (a sub-item row), 另一层级 (the item repeated for another level) or 合并单元格
 * (values of vertically merged cells that cover the row).
 */
kind: string, fields: Array<string>, };

/**
 * A row above the header (title, 部门名称 …), kept in the report.
 */
export type PreambleRow = { row: number, text: string, };

/**
 * One sheet of one file.
 */
export type SheetReport = { name: string, 
/**
 * 1-based header row (the last one, for a two-row header); absent for an empty sheet.
 */
header_row: number | null, mapping: Array<ColumnMapping>, 
/**
 * Items created from this sheet.
 */
items: number, merged_rows: Array<MergedRow>, inherited_rows: Array<InheritedRow>, skipped: Array<SkippedRow>, 
/**
 * Rows with no content at all inside the data region (not listed).
 */
blank_rows: number, preamble: Array<PreambleRow>, inferred: Array<Inference>, warnings: Array<string>, 
/**
 * Non-empty cells below the header, each one now in an item or in `skipped`.
 */
cells: number, 
/**
 * Why the sheet gave nothing (空工作表 …), when it did.
 */
note: string | null, };

/**
 * One file.
 */
export type FileReport = { path: string, format: Format, encoding: string | null, 
/**
 * The department the file is about, as found (部门名称 row, title, file name).
 */
department: Inference | null, 
/**
 * Where the items went (absent in a dry run).
 */
jurisdiction: string | null, unit: string | null, list: string | null, list_id: number | null, items: number, sheets: Array<SheetReport>, };

/**
 * A file left out of a multi-file import.
 */
export type SkippedFile = { path: string, reason: string, };

/**
 * A whole import (or dry run).
 */
export type ImportReport = { 
/**
 * Items the files gave, now in their lists (or, in a dry run, that would be): appended to
 * a new or empty list, or the new content of a list imported again (see `updates`).
 */
items: number, dry_run: boolean, 
/**
 * Jurisdictions and units created by this import.
 */
created_jurisdictions: Array<string>, created_units: Array<string>, files: Array<FileReport>, 
/**
 * Documents given among several files (a README or PDF beside the workbooks) that could
 * not be read as a table: left out, with the reason.
 */
skipped_files: Array<SkippedFile>, 
/**
 * Lists that had items before this import, updated to the workbooks' content (or, in a dry
 * run, as they would be): what was added, changed and removed. Absent when every list was
 * new or empty, so a first import's JSON is as it always was.
 */
updates?: Array<ListUpdate>, };

/**
 * A list with items imported again (`docs/import.md`, 再次导入): the workbooks are the list's
 * new content. Items are matched by 事项编码, else by 事项名称 and 子项; `id` in the changes is
 * the item's uid (empty for an item a dry run would add: it has none yet).
 */
export type ListUpdate = { list: string, list_id: number, 
/**
 * Items of the workbooks that matched none of the list's items, inserted at their place.
 */
added: Array<EntityChange>, 
/**
 * The fields that differ, item by item (an item's changes are next to each other).
 */
changed: Array<FieldChange>, 
/**
 * How many items `changed` is about.
 */
changed_items: number, 
/**
 * Items of the list the workbooks no longer have, deleted.
 */
removed: Array<EntityChange>, 
/**
 * Items matched whose content is the same (a different 序号 alone counts as the same).
 */
unchanged: number, };

/**
 * A raw row for the header-row picker.
 */
export type RawRowPreview = { row: number, cells: Array<[string, string]>, };

/**
 * One sheet as it would be imported.
 */
export type SheetPreview = { 
/**
 * Header row, mapping (with the synonym that matched), counts, merges, skips, warnings.
 */
report: SheetReport, 
/**
 * The first items as they would be imported (with provenance).
 */
items: Array<Item>, 
/**
 * Why the sheet cannot be imported as it is (no recognizable header …): the user can
 * set its header row or leave it out.
 */
error: string | null, 
/**
 * The first rows of the sheet as raw text (row number, cells by column letter), so that
 * a user can pick the header row.
 */
raw_rows: Array<RawRowPreview>, };

/**
 * What a file would give.
 */
export type ImportPreview = { path: string, format: Format, encoding: string | null, department: Inference | null, sheets: Array<SheetPreview>, 
/**
 * Items the whole file would give.
 */
items: number, };

/**
 * Page orientation of a notice. Landscape keeps the GB/T 9704 page-number rule.
 */
export type Orientation = "纵向" | "横向";

/**
 * The head of a notice: who issues it, its number, title, date and opening paragraph.
 */
export type NoticeHeading = { 
/**
 * 发文机关, e.g. "中共青川区委机构编制委员会办公室".
 */
issuing_organ?: string | null, 
/**
 * 发文字号, e.g. "青编办〔2026〕12号".
 */
doc_no?: string | null, 
/**
 * 标题, e.g. "关于公布青川区住房和城乡建设局权责清单的公告".
 */
title: string, 
/**
 * 成文日期 as it should be printed, e.g. "2026年11月23日".
 */
date?: string | null, 
/**
 * Opening paragraph(s) before the tables; `\n` separates paragraphs.
 */
intro?: string | null, };

/**
 * One column of a notice table.
 */
export type NoticeColumn = { 
/**
 * Header as printed, e.g. "事项名称".
 */
header: string, 
/**
 * Which item field fills it: a standard field name (`seq`, `name`, `power_type`, `basis`,
 * …) or `extra:<original header>` for an imported extra field. Exporters do not interpret
 * it; it lets the Excel raw sheet and the importer agree on fields.
 */
field: string, };

/**
 * One table of a notice, with an optional heading ("一、基本履职事项（86项）").
 */
export type NoticeSection = { heading?: string | null, columns: Array<NoticeColumn>, 
/**
 * Cells row by row, each row exactly `columns.len()` long (empty string for no value).
 */
rows: Array<Array<string>>, };

/**
 * A whole notice: heading, then one or more tables. A 权责清单 has one section; a street's
 * 履行职责事项清单 has three (基本 / 配合 / 收回); a community's 准入清单 has four.
 */
export type Notice = { heading: NoticeHeading, sections: Array<NoticeSection>, orientation: Orientation, };

/**
 * One entry of a poster list: the item name, an optional short note printed after it in
 * brackets, and the columns the street chose (承办机构, 实施依据 …) printed under it.
 */
export type PosterEntry = { name: string, note?: string | null, 
/**
 * Only the columns that have a value: an empty one is left out, never printed as "—".
 */
details?: Array<PosterDetail>, };

/**
 * One block of a poster: "依法履行职责事项（32项）", "协助政府工作事项", "负面清单".
 */
export type PosterSection = { heading: string, entries: Array<PosterEntry>, };

/**
 * One printed column of a poster entry: "承办机构：社区居民委员会".
 */
export type PosterDetail = { label: string, text: string, };

/**
 * What a street's community posters show: which lists, in which order, and which columns
 * under each entry's name (the name is always printed). Kept with the street
 * (`Jurisdiction::poster_settings`); a community's posters follow its street's.
 */
export type PosterSettings = { 
/**
 * Community list kinds in print order. 证明事项 prints as two blocks, 可出具 (保留) and
 * 不得出具, as each item says.
 */
lists: Array<ListKind>, 
/**
 * Column names as notices name them (`handling_unit`, `basis`, `remarks`,
 * `extra:办理时限` …). `handling_unit` on a poster is whichever unit the item names:
 * 承办机构, else 行使主体, else the 协助 item's 提出部门.
 */
columns: Array<string>, };

/**
 * What the poster options of the 公示 screen offer for a street: its settings (saved, or the
 * default), the lists and the columns one can choose.
 */
export type PosterChoices = { settings: PosterSettings, 
/**
 * Whether the street has saved its own settings (else `settings` is the default).
 */
saved: boolean, 
/**
 * (list kind, what the poster calls it), in the usual order.
 */
lists: Array<[ListKind, string]>, 
/**
 * (column name, printed label), in the column picker's order.
 */
columns: Array<[string, string]>, };

/**
 * The wall poster (上墙) of one community service centre.
 */
export type CommunityPoster = { 
/**
 * e.g. "春华社区".
 */
community: string, 
/**
 * e.g. "青川区东湖街道".
 */
street: string, 
/**
 * e.g. "春华社区工作事项准入清单".
 */
title: string, contact_phone?: string | null, responsible_person?: string | null, sections: Array<PosterSection>, 
/**
 * Line at the foot, e.g. the issuing office and date.
 */
footer?: string | null, };

/**
 * A person who leads a street (书记, 主任, 副主任 …) in an org chart.
 */
export type OrgChartLeader = { 
/**
 * Key used by [`OrgChartDepartment::leaders_in_charge`].
 */
key: number, name: string, 
/**
 * 职务, e.g. "党工委副书记、办事处主任".
 */
post: string, };

/**
 * Where a department sits in the chart.
 */
export type OrgChartRow = "内设机构" | "中心" | "派驻" | "两委" | "站办";

/**
 * One box of an org chart with its staffing figures.
 */
export type OrgChartDepartment = { name: string, row: OrgChartRow, admin_posts?: number | null, institution_posts?: number | null, actual_headcount?: number | null, leader_posts?: number | null, 
/**
 * Keys of [`OrgChartLeader`]s in charge (分管). Exactly one is the rule; the chart draws
 * what the data says, and checks report the rest. For a committee box: its head (书记 or
 * 主任).
 */
leaders_in_charge: Array<number>, 
/**
 * A committee's number of members (两委成员 holding a seat on it).
 */
members?: number | null, 
/**
 * A community unit's posts (岗位) with approved and filled numbers.
 */
posts?: Array<UnitPost>, };

/**
 * A street's big-department org chart, or a community's (两委 and its 站/办).
 */
export type OrgChart = { 
/**
 * The street or community, e.g. "东湖街道", "青溪社区".
 */
street: string, 
/**
 * Template name, e.g. "一办七部两中心".
 */
template?: string | null, leaders: Array<OrgChartLeader>, departments: Array<OrgChartDepartment>, };

/**
 * What notice to make: which lists (one section each, in this order) and how to head it.
 * Every heading field is optional; sensible defaults come from the lists.
 */
export type NoticeRequest = { lists: Array<number>, title: string | null, doc_no: string | null, date: string | null, issuing_organ: string | null, intro: string | null, 
/**
 * Field names of the columns (see [`notice_columns`]; `extra:<header>` for an imported
 * field). Empty: the default columns of each list's kind.
 */
columns: Array<string>, 
/**
 * `None`: landscape for 权责清单 (many wide columns), portrait otherwise.
 */
orientation: Orientation | null, 
/**
 * Print a published version (its frozen items) instead of `lists` as they are now; its
 * 文号 and date are used when `doc_no` and `date` are not given.
 */
version?: number, };

/**
 * Output format of a notice.
 */
export type NoticeFormat = "pdf" | "xlsx" | "html";

/**
 * Where and what [`Api::write_posters`] wrote.
 */
export type PostersWritten = { files: Array<string>, communities: number, };

/**
 * A notice as the app previews it: the HTML document with its stylesheet linked (no inline
 * style, no script: it can be shown under a strict CSP) and the stylesheet's text.
 */
export type NoticePreview = { html: string, css: string, rows: number, };

/**
 * The columns a notice can show, as (field name, printed header), and one kind's defaults:
 * what the app's column picker offers.
 */
export type NoticeFields = { fields: Array<[string, string]>, defaults: Array<string>, };

/**
 * What the org-chart screen shows of a street or community: the place, its units and
 * leaders (a community's: its 两委 members with their seats), and the templates of its level.
 */
export type Organization = { place: Jurisdiction, units: Array<Unit>, leaders: Array<Leader>, 
/**
 * Templates of the place's level (the ones it can be built from).
 */
templates: Array<OrgTemplate>, };

/**
 * A unit's staffing, posts and leaders in charge as the form edits them (the whole set: a
 * field left empty clears it).
 */
export type UnitStaffingEdit = { staffing: Staffing, leaders_in_charge: Array<number>, 
/**
 * A community unit's posts (岗位); omitted, the unit keeps none.
 */
posts: Array<UnitPost>, };

/**
 * Where a server database is and who logs in: everything of a login but the password, so
 * that it can be kept among the recent files.
 */
export type ServerAddress = { 
/**
 * 服务器地址: a host name or an IP address.
 */
host: string, 
/**
 * 端口 ([`DEFAULT_PORT`] unless set otherwise).
 */
port: number, 
/**
 * 数据库名.
 */
database: string, 
/**
 * 账号: the person's PostgreSQL role.
 */
account: string, };

/**
 * What 连接服务器… sends: the address and the password, which is used for this connection
 * and never written anywhere.
 */
export type ServerLogin = { address: ServerAddress, password: string, };

/**
 * One statement's committed changes, as the window is told of them.
 */
export type ServerChange = { 
/**
 * `jurisdictions`, `units`, `leaders`, `lists` or `items`.
 */
table: string, 
/**
 * The rows changed; for `items`, the lists whose items changed. `null`: too many to name
 * (an import): read everything again.
 */
ids: Array<number> | null, 
/**
 * The account that made the change.
 */
by: string, 
/**
 * Made by this app itself — through its own connection, not merely under its account,
 * which may be logged in on another computer too (the window refreshed itself after its
 * own edits).
 */
mine: boolean, };

/**
 * One database file opened lately.
 */
export type RecentFile = { path: string, 
/**
 * When it was last opened, local time, `YYYY-MM-DD HH:MM`.
 */
opened_at: string, 
/**
 * Whether the file is still there (computed on reading, not stored; a server's entry
 * counts as there: whether it answers is seen when connecting).
 */
exists: boolean, 
/**
 * A database on a server (then `path` is [`ServerAddress::shown`]): its address, without
 * the password, which the app asks for again.
 */
server?: ServerAddress, };

/**
 * Who the audit log names for the app's changes.
 */
export type Operator = { name: string, 
/**
 * Whether a name was chosen in the app (else `name` is the OS user name).
 */
chosen: boolean, };

/**
 * A new list (新建清单): whose it is, what kind, what it is called.
 */
export type NewList = { jurisdiction: number, 
/**
 * The unit (department) keeping it; none for the jurisdiction's own list.
 */
unit: number | null, kind: ListKind, name: string, };

/**
 * What a deleted list took with it.
 */
export type ListDeleted = { name: string, 
/**
 * Its items, deleted with it.
 */
items: number, };

/**
 * What a department fills in to apply (新申请).
 */
export type AdmissionApplication = { 
/**
 * The community the work would go to — or a street, meaning every community of it.
 */
community: number, 
/**
 * Further communities or streets the same work is asked for. With them (or a street) the
 * application makes one request per community, in one write, sharing one `batch` mark.
 */
more_places?: Array<number>, 
/**
 * The applying department, when it is a known unit.
 */
applicant_unit: number | null, 
/**
 * The applying department as written; filled from the unit when left empty.
 */
applicant_unit_text: string | null, item_name: string, content: string | null, reason: string, 
/**
 * 依据 (law or policy).
 */
basis: string | null, funding: Funding, staff: StaffSupport, applied_on: string, 
/**
 * The date the work would start; an application fewer than 30 working days before it is
 * accepted with a warning (and flagged by `community.admission_late`).
 */
planned_start?: string | null, };

/**
 * One move of a request: to which state, on which date, with which opinion and 文号.
 */
export type AdmissionDecision = { request: number, to: AdmissionState, date: string, 
/**
 * 审核意见 (required to reject), or the reason for a revocation (required to revoke).
 */
opinion: string | null, 
/**
 * 文号 of the decision.
 */
doc_no: string | null, 
/**
 * Why the request is admitted although the gate objects (负面清单, a certificate not to be
 * issued, missing funding or staff). Without it such a request is refused with code
 * `admission_refused`; with it, the objections and this reason go into the request's
 * history and the audit entry.
 */
override_reason?: string | null, };

/**
 * The request after the move, and the 协助政府 item it created (准入) or removed (撤销).
 */
export type AdmissionOutcome = { request: AdmissionRequest, item: Item | null, 
/**
 * The gate's objections this 准入 overrode with the decision's `override_reason` (empty
 * when it had none). The checks still report the admitted item: an override is recorded,
 * not hidden.
 */
overridden?: Array<string>, };

/**
 * The requests an application made (one per community), and what the applicant should know
 * although it was accepted: filed late, or dated in a year the holiday calendar lacks.
 */
export type AdmissionApplied = { requests: Array<AdmissionRequest>, warnings: Array<string>, };

/**
 * One request waiting for a decision.
 */
export type PendingAdmission = { id: number, 
/**
 * The community's name.
 */
community: string, community_id: number, 
/**
 * The street the community belongs to, when it has one.
 */
street: string | null, item_name: string, applicant: string | null, state: AdmissionState, applied_on: string, planned_start: string | null, 
/**
 * The recorded deadline, or for an older request 15 working days after applying.
 */
decision_deadline: string, 
/**
 * Working days past the deadline as of `today`; 0 while in time.
 */
overdue_working_days: number, 
/**
 * Filed fewer than 30 working days before the planned start.
 */
late_application: boolean, 
/**
 * Shared by the requests made together for several communities.
 */
batch: Uid | null, };

/**
 * What the 发布版本 form sends.
 */
export type PublishRequest = { list: number, published_on: string, doc_no: string | null, note: string | null, 
/**
 * Publish although the list has unwaived red findings, for this reason (recorded).
 */
despite_findings?: string, };

/**
 * A published version of a list, without its items (see [`Reader::version_summaries`]).
 */
export type VersionSummary = { id: number, list: number, 
/**
 * 1, 2, 3 … per list.
 */
number: number, 
/**
 * `YYYY-MM-DD`
 */
published_on: string, doc_no: string | null, note: string | null, item_count: number, };

/**
 * An item present on both sides, with different content.
 */
export type ChangedItem = { before: Item, after: Item, 
/**
 * Labels of the fields that differ (事项名称, 实施依据 …), in the item's field order.
 */
fields: Array<string>, 
/**
 * Each differing field (and extra field) with its text before and after.
 */
differences: Array<FieldDifference>, };

/**
 * Two states of one list: an older version against a newer one, or against the list now.
 */
export type VersionComparison = { 
/**
 * The older side.
 */
version: VersionSummary, 
/**
 * The newer side; `None`: the list as it is now.
 */
to: VersionSummary | null, 
/**
 * On the newer side, not on the older (in the newer side's order), and not moved in.
 */
added: Array<Item>, 
/**
 * On the older side, not on the newer (in the older side's order), and not moved out.
 */
removed: Array<Item>, changed: Array<ChangedItem>, 
/**
 * Left the list by an approved transfer (not in `removed`).
 */
transferred_out: Array<TransferredItem>, 
/**
 * Came into the list by an approved transfer (not in `added`).
 */
transferred_in: Array<TransferredItem>, unchanged: number, 
/**
 * Why the items above changed, in their order; an item changed by several requests has
 * one entry for each, an item no request and no audit entry explains has none.
 */
reasons: Array<ChangeReason>, };

/**
 * One field of an item as it differs between the two sides: its label and its text before
 * and after (`None`: empty), as the field table writes it (`ItemField::format`).
 */
export type FieldDifference = { field: string, before: string | null, after: string | null, };

/**
 * An item that left the list, or came into it, by an approved 下放, 收回 or 划转.
 */
export type TransferredItem = { 
/**
 * The item as this list had it (leaving: on the older side; arriving: on the newer).
 */
item: Item, 
/**
 * The change request that moved it.
 */
request: number, action: ChangeAction, from_list: number, from_list_name: string, to_list: number, to_list_name: string, };

/**
 * Why an item changed between the two sides: an approved change request with its reason and
 * basis, or — an edit in the grid, an import — the reason its audit entry gives.
 */
export type ChangeReason = { item: number, 
/**
 * The change request; `None` when the reason comes from the audit log.
 */
request: number | null, reason: string | null, basis: string | null, };

/**
 * What 调整公告 to make: a list, the two versions by number (第 N 版), and the heading; every
 * heading field is optional (文号 and date default to the newer version's).
 */
export type AdjustmentNoticeRequest = { list: number, 
/**
 * The older version's number.
 */
from: number, 
/**
 * The newer version's number; `None`: the list's latest version.
 */
to: number | null, title: string | null, doc_no: string | null, date: string | null, issuing_organ: string | null, intro: string | null, 
/**
 * `None`: landscape (before and after side by side need the width).
 */
orientation: Orientation | null, };

/**
 * What a change request asks for.
 */
export type ChangeAction = "新增" | "取消" | "变更" | "下放" | "收回" | "划转";

/**
 * Where a change request stands.
 */
export type ChangeState = "申请" | "审核中" | "同意" | "退回" | "已发布";

/**
 * `字段=值` of a 新增 or 变更 request: the field by its label as the table shows it (事项名称,
 * 实施依据 …), and the value as text (empty: clear the field).
 */
export type FieldSetting = { field: string, value: string, };

/**
 * One field as an approved change left it: before and after, as text.
 */
export type AppliedField = { field: string, before?: string | null, after?: string | null, };

/**
 * One move of a change request, kept forever.
 */
export type ChangeStep = { state: ChangeState, date: string, actor?: string | null, note?: string | null, };

/**
 * A request to change a list (调整申请).
 */
export type ChangeRequest = { id: number, 
/**
 * Stable identity, kept through dump, load, import, export and merge (`identity.rs`).
 */
uid?: Uid, 
/**
 * The list the change is made to (for a transfer: the list the item leaves).
 */
list: number, action: ChangeAction, 
/**
 * The item concerned; for 新增, the item created once the change is approved.
 */
item?: number | null, 
/**
 * The item's name (名称（子项）) when the request was made: kept when the item later goes.
 */
item_label: string, 
/**
 * 新增: the new item's fields; 变更: the fields to change.
 */
settings?: Array<FieldSetting>, 
/**
 * 新增: the item the new one goes after (none: at the end).
 */
after?: number | null, 
/**
 * 下放 / 收回 / 划转: the list the item moves to.
 */
to_list?: number | null, 
/**
 * 收回 / 划转: the receiving department (its 权责清单 is `to_list` when none is given).
 */
to_unit?: number | null, 
/**
 * The unit asking for the change (申请单位).
 */
requester_unit?: number | null, requester_unit_text?: string | null, 
/**
 * 调整理由
 */
reason: string, 
/**
 * 法律政策依据
 */
basis?: string | null, 
/**
 * Attachments by reference: the 文号 of the documents that support the request.
 */
attachments?: Array<string>, proposed_on: string, state: ChangeState, 
/**
 * Every state the request has passed through, oldest first; the last one equals `state`.
 */
history?: Array<ChangeStep>, 
/**
 * 审核人 of the decision (同意 / 退回).
 */
reviewer?: string | null, 
/**
 * 审核意见
 */
opinion?: string | null, 
/**
 * What the approval changed, field by field (变更), for the 调整公告 and the record.
 */
applied?: Array<AppliedField>, 
/**
 * The published version that contains the change.
 */
version?: number | null, };

/**
 * What the 调整申请 form (or `quanze change propose`) sends.
 */
export type ChangeProposal = { list: number, action: ChangeAction, 
/**
 * The item concerned (all actions but 新增).
 */
item: number | null, 
/**
 * 新增: the new item's fields (事项名称 among them); 变更: the fields to change.
 */
settings: Array<FieldSetting>, 
/**
 * 新增: the item the new one goes after (none: at the end).
 */
after: number | null, to_list: number | null, to_unit: number | null, 
/**
 * 申请单位 as written; matched to a unit when one has the name.
 */
requester: string | null, reason: string, basis: string | null, 
/**
 * 文号 of supporting documents.
 */
attachments: Array<string>, proposed_on: string, };

/**
 * A review step (`quanze change review`): the state to move to, with the reviewer's opinion.
 */
export type ChangeReview = { request: number, to: ChangeState, opinion: string | null, date: string, };

/**
 * One bar of a chart.
 */
export type Count = { label: string, count: number, };

/**
 * Everything the 统计 screen shows.
 */
export type Statistics = { 
/**
 * The jurisdiction counted (with everything below it); `None` for the whole database.
 */
jurisdiction: number | null, item_count: number, 
/**
 * Items of 权责清单 (and any other item with a 权力类型 written) by type: the ten types
 * in their standard order, then 未填写 (a 权责清单 item without one) and 非标准写法.
 */
by_power_type: Array<Count>, 
/**
 * Units by item count, largest first; beyond [`STATISTICS_UNIT_LIMIT`] summed as 其他.
 * An item counts for its list's unit, or else for its 承办机构 unit; an item with neither
 * is counted in `items_without_unit` instead.
 */
by_unit: Array<Count>, 
/**
 * Items no department answers for by name: on a jurisdiction's own list (a street's
 * 基本履职, a community's 依法履职 …) with no 承办机构 filled in. A bar called
 * 未指定机构 topped the chart and meant nothing to a clerk; the screen says this in words.
 */
items_without_unit: number, 
/**
 * 区 / 街道 / 社区.
 */
by_level: Array<Count>, 
/**
 * List kinds in their standard order, only those present.
 */
by_list_kind: Array<Count>, 
/**
 * Open (not waived) findings by grade: 红, 黄, 蓝.
 */
findings_by_grade: Array<Count>, 
/**
 * Admission requests by state, in the order of the process.
 */
admission_by_state: Array<Count>, 
/**
 * District departments by the number of street duties taken back to them (上级部门收回
 * items naming them as 承接部门), largest first: what a department answers for beyond its
 * own list. Counted from the street lists within the scope.
 */
withdrawn_to_unit: Array<Count>, };

/**
 * One step of long work, as a progress bar shows it.
 */
export type WorkProgress = { 
/**
 * What is being done, in Chinese: "正在读取 水务局.xls（2/5）".
 */
step: string, 
/**
 * Steps finished, out of `total`.
 */
done: number, total: number, };

/**
 * A printer (a CUPS destination).
 */
export type Printer = { name: string, 
/**
 * The system's default printer, chosen first in the print form.
 */
is_default: boolean, };

/**
 * What the print form asks for.
 */
export type PrintRequest = { 
/**
 * Absolute paths of files this session wrote; several (the posters of a street) make one
 * job, printed in this order.
 */
paths: Array<string>, printer: string, 
/**
 * 份数, 1 to [`MAX_COPIES`].
 */
copies: number, 
/**
 * 双面打印 (long edge, as a notice is bound); otherwise one-sided, whatever the printer's
 * own default.
 */
two_sided: boolean, 
/**
 * 页码范围 such as `1-3,5`; absent or blank for every page.
 */
pages?: string, };

/**
 * A job the print service accepted.
 */
export type PrintJob = { printer: string, 
/**
 * The service's name of the job (`办公室-12`), when it said one.
 */
job?: string, files: number, };

/**
 * The answer to the page at a change of screen.
 */
export type PageRenewalAdvice = { 
/**
 * Load the page again now (its place kept).
 */
renew: boolean, 
/**
 * The web process's memory now (PSS, MB); `null` where it cannot be read (not Linux).
 */
web_process_mb: number | null, 
/**
 * The lowest reading of this session (MB), the reference of the bound.
 */
lowest_mb: number | null, 
/**
 * Renewal when the reading exceeds `lowest_mb` by this (MB); `null`: renewal is off.
 */
growth_bound_mb: number | null, };

/**
 * Why a backup was taken. Serialized as the word the file name and the user see.
 */
export type BackupReason = "导入前" | "载入前" | "迁移前" | "定时" | "恢复前" | "手动";

/**
 * A backup in the backup folder.
 */
export type BackupFile = { 
/**
 * Full path of the file.
 */
path: string, file_name: string, 
/**
 * Local time it was taken, `2026-12-04 18:43:12`.
 */
created_at: string, reason: BackupReason, 
/**
 * Size in bytes.
 */
bytes: number, };

/**
 * What a restore did.
 */
export type RestoreOutcome = { 
/**
 * The backup file now in the database.
 */
restored: string, 
/**
 * The automatic backup (恢复前) of what the database held before, so the restore can
 * itself be undone; none when the database was empty.
 */
previous: BackupFile | null, };

/**
 * What 撤销导入 did.
 */
export type ImportUndone = { 
/**
 * The import undone ("导入 a.xls").
 */
import: string, 
/**
 * The lists put back as they were before the import (deleted ones included).
 */
lists: Array<number>, 
/**
 * Names of the lists, units and jurisdictions the import had created, now deleted.
 */
deleted_lists: Array<string>, deleted_units: Array<string>, deleted_jurisdictions: Array<string>, };

/**
 * What to put in a package.
 */
export type ExportRequest = { jurisdiction: number, 
/**
 * Only these lists of the jurisdiction (empty: everything under it).
 */
lists: Array<number>, 
/**
 * The producing office as the package names it (empty: see [`Api::default_office`]).
 */
office: string, };

/**
 * A package written.
 */
export type ExportSummary = { path: string, package: PackageSummary, lists: number, items: number, bytes: number, };

/**
 * A package, as a report names it.
 */
export type PackageSummary = { uid: string, office: string, actor: string, made_at: string, jurisdiction: string, content_sha256: string, };

/**
 * Which side a conflict is resolved to.
 */
export type Side = "ours" | "theirs";

/**
 * One decision about one conflict: which side's value of `field` of entity `id` is kept.
 */
export type ConflictDecision = { id: string, field: string, take: Side, };

/**
 * How to merge.
 */
export type MergeOptions = { 
/**
 * Only report; write nothing.
 */
dry_run: boolean, 
/**
 * The side of every conflict without its own decision.
 */
resolve?: Side, decisions: Array<ConflictDecision>, };

/**
 * An entity added or removed: by the other side of a merge (`docs/exchange.md`), or by a
 * workbook imported again into its list (`docs/import.md`).
 */
export type EntityChange = { 
/**
 * 辖区, 机构, 清单, 事项 …
 */
entity: string, 
/**
 * The entity's stable identity (uid).
 */
id: string, label: string, 
/**
 * For an item: the name of its list.
 */
list?: string, };

/**
 * A field changed: by the other side of a merge (and not by us), or by a workbook imported
 * again into its list.
 */
export type FieldChange = { entity: string, id: string, label: string, list?: string, 
/**
 * The field's path (`name`, `staffing.admin_posts`).
 */
field: string, 
/**
 * The field as users know it (事项名称, 行政编制).
 */
field_label: string, 
/**
 * The value here now, as shown: references by name.
 */
before: unknown, 
/**
 * The value it changes to.
 */
after: unknown, };

/**
 * A field both sides changed, differently (or one side removed the entity the other
 * changed: `field` is `*`).
 */
export type Conflict = { entity: string, id: string, label: string, list?: string, field: string, field_label: string, base: unknown, ours: unknown, theirs: unknown, 
/**
 * What the merge does with it: `null` (undecided: the merge stops), `ours` or `theirs`.
 */
resolution?: Side, };

/**
 * What merging a package found, and whether it was applied.
 */
export type MergeReport = { package: PackageSummary, 
/**
 * The earlier package compared against (its uid), or none when this database knows none
 * of the package's bases: then every difference is a conflict.
 */
base?: PackageSummary, added: Array<EntityChange>, changed: Array<FieldChange>, removed: Array<EntityChange>, conflicts: Array<Conflict>, 
/**
 * Entities of the package that equal ours.
 */
unchanged: number, 
/**
 * Whether the merge was written (not a dry run, and every conflict resolved).
 */
applied: boolean, };

/**
 * The moves of the admission process: for each state, the states a request may move to,
 * in the order of the process, and whether the move must give an opinion (审核意见, 撤销理由).
 * From `AdmissionState::next_states` and `needs_opinion`.
 */
export const ADMISSION_MOVES: { readonly [state in AdmissionState]: ReadonlyArray<{ to: AdmissionState, opinion_required: boolean }> } = {
  "申请": [{ to: "审核中", opinion_required: false }],
  "审核中": [{ to: "准入", opinion_required: false }, { to: "驳回", opinion_required: true }],
  "准入": [{ to: "撤销", opinion_required: true }],
  "驳回": [],
  "撤销": [],
};

/**
 * The review moves of a change request (调整申请): for each state, the states a review may
 * move it to, and whether the move must give an opinion (审核意见). 已发布 is reached only by
 * publishing a version. From `ChangeState::can_move_to` and `needs_opinion`.
 */
export const CHANGE_MOVES: { readonly [state in ChangeState]: ReadonlyArray<{ to: ChangeState, opinion_required: boolean }> } = {
  "申请": [{ to: "审核中", opinion_required: false }],
  "审核中": [{ to: "同意", opinion_required: false }, { to: "退回", opinion_required: true }],
  "同意": [],
  "退回": [],
  "已发布": [],
};

/**
 * The standard fields of an item, in the editor's order: key, label, print header, kind.
 * From `quanze_domain::ITEM_FIELDS`.
 */
export const ITEM_FIELDS: ReadonlyArray<FieldSpec> = [
  {"field":"seq","key":"seq","label":"序号","print_header":"序号","kind":"text"},
  {"field":"code","key":"code","label":"事项编码","print_header":"事项编码","kind":"text"},
  {"field":"name","key":"name","label":"事项名称","print_header":"事项名称","kind":"text"},
  {"field":"sub_item","key":"sub_item","label":"子项名称","print_header":"子项","kind":"text"},
  {"field":"category","key":"category","label":"类别","print_header":"类别","kind":"text"},
  {"field":"power_type","key":"power_type","label":"权力类型","print_header":"权力类型","kind":"power_type"},
  {"field":"basis","key":"basis","label":"实施依据","print_header":"实施依据","kind":"text"},
  {"field":"subject","key":"subject","label":"行使主体","print_header":"实施主体","kind":"text"},
  {"field":"handling_unit","key":"handling_unit","label":"承办机构","print_header":"承办机构","kind":"unit"},
  {"field":"level_and_authority","key":"level_and_authority","label":"实施层级及权限","print_header":"行使层级","kind":"text"},
  {"field":"department_duty","key":"department_duty","label":"部门职责","print_header":"职责内容","kind":"text"},
  {"field":"lead_unit","key":"lead_unit","label":"主责部门","print_header":"牵头部门","kind":"unit"},
  {"field":"superior_duty","key":"superior_duty","label":"上级部门职责","print_header":"上级部门职责","kind":"text"},
  {"field":"street_duty","key":"street_duty","label":"街道配合职责","print_header":"街道配合职责","kind":"text"},
  {"field":"receiving_unit","key":"receiving_unit","label":"承接部门","print_header":"承接部门","kind":"unit"},
  {"field":"working_method","key":"working_method","label":"工作方式","print_header":"工作方式","kind":"text"},
  {"field":"requesting_unit","key":"requesting_unit","label":"申请部门","print_header":"提出部门","kind":"unit"},
  {"field":"funding_amount","key":"funding_amount","label":"经费（万元/年）","print_header":null,"kind":"amount"},
  {"field":"funding_source","key":"funding_source","label":"经费来源","print_header":null,"kind":"text"},
  {"field":"staff_count","key":"staff_count","label":"人员数","print_header":null,"kind":"count"},
  {"field":"staff_note","key":"staff_note","label":"人员说明","print_header":null,"kind":"text"},
  {"field":"certificate","key":"certificate","label":"可否出具","print_header":"是否可出具","kind":"certificate"},
  {"field":"responsibility","key":"responsibility","label":"责任事项内容","print_header":"责任事项","kind":"text"},
  {"field":"responsibility_basis","key":"responsibility_basis","label":"责任事项依据","print_header":"责任事项依据","kind":"text"},
  {"field":"accountable_scope","key":"accountable_scope","label":"追责对象范围","print_header":"追责对象范围","kind":"text"},
  {"field":"accountability_cases","key":"accountability_cases","label":"追责情形","print_header":"追责情形","kind":"text"},
  {"field":"supervision_phone","key":"supervision_phone","label":"监督电话","print_header":"监督电话","kind":"text"},
  {"field":"remarks","key":"remarks","label":"备注","print_header":"备注","kind":"text"},
];

/** The ten 权力类型, in their order. From `PowerType::ALL`. */
export const POWER_TYPES: ReadonlyArray<PowerType> = ["行政许可", "行政处罚", "行政强制", "行政征收", "行政给付", "行政检查", "行政确认", "行政奖励", "行政裁决", "其他行政权力"];

/** The 类别 street and community lists commonly use (not a closed set). From
 * `fields::COMMON_CATEGORIES`. */
export const COMMON_CATEGORIES: ReadonlyArray<string> = ["党的建设", "经济发展", "民生服务", "公共服务", "平安法治", "综合治理", "城乡建设", "城市管理", "村（社区）建设", "综合保障", "社区建设", "社区服务", "居民自治", "平安建设"];

/** How sure an overlap is, in the words of `quanze check`. From `OverlapConfidence::label`. */
export const OVERLAP_CONFIDENCE_LABELS: { readonly [confidence in OverlapConfidence]: string } = {
  "strong": "依据相同",
  "likely": "措辞相近",
  "possible": "限定不同",
};

/** Each list kind, the level it belongs to (null: any) and whether a unit keeps it. From
 * `ListKind::expected_level` and `requires_unit`. */
export const LIST_KINDS: ReadonlyArray<{ kind: ListKind, level: Level | null, unit_required: boolean }> = [
  { kind: "权责清单", level: null, unit_required: false },
  { kind: "基本履职", level: "街道", unit_required: false },
  { kind: "配合履职", level: "街道", unit_required: false },
  { kind: "上级部门收回", level: "街道", unit_required: false },
  { kind: "依法履职", level: "社区", unit_required: false },
  { kind: "协助政府", level: "社区", unit_required: false },
  { kind: "负面清单", level: "社区", unit_required: false },
  { kind: "证明事项", level: "社区", unit_required: false },
  { kind: "职责清单", level: null, unit_required: true },
  { kind: "任务清单", level: null, unit_required: true },
  { kind: "责任清单", level: null, unit_required: true },
  { kind: "社区服务清单", level: "社区", unit_required: false },
];

/** What a place of each level may call itself instead of the level's word (镇, 村). From
 * `structure::designations`. */
export const DESIGNATIONS: { readonly [level in Level]: ReadonlyArray<string> } = {
  "区": ["县", "市", "旗"],
  "街道": ["镇", "乡"],
  "社区": ["村"],
};

/** The query parameter of a page the shell loaded again after WebKit's web process ended.
 * From `page_restart::PAGE_RESTARTED_PARAMETER`. */
export const PAGE_RESTARTED_PARAMETER = "page-restarted";
