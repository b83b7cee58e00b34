// The community admission screen's model (社区工作事项准入): the moves a request offers in each
// state (from `ADMISSION_MOVES`, generated from the backend's `AdmissionState::next_states` and
// `needs_opinion`; this module only adds the words and colours), the forms turned into the
// backend's `AdmissionApplication` / `AdmissionDecision`, and the four lists of a community.

import { ADMISSION_MOVES } from '../api'
import type {
  AdmissionApplication,
  AdmissionDecision,
  AdmissionRequest,
  AdmissionState,
  JurisdictionNode,
  ListKind,
  ListSummary,
} from '../api'
import { flattenTree } from './tree'

/** A community's four lists, in the order the 准入清单 is published. */
export const COMMUNITY_LIST_KINDS: readonly ListKind[] = ['依法履职', '协助政府', '负面清单', '证明事项']

export const COMMUNITY_LIST_TITLES: Record<string, string> = {
  依法履职: '依法履行职责事项',
  协助政府: '依法协助政府工作事项',
  负面清单: '负面清单',
  证明事项: '证明事项',
}

/** Which form a move needs: a plain date (提交审核), a review decision, or a revocation. */
export type ActionForm = 'submit' | 'decide' | 'revoke'

export interface AdmissionAction {
  to: AdmissionState
  /** The button's words. */
  label: string
  form: ActionForm
  /** The opinion (审核意见 / 撤销理由) must be filled. */
  opinionRequired: boolean
  /** Element Plus button type. */
  type: 'primary' | 'success' | 'danger' | 'warning'
}

/** How a move into a state is offered: its button's words, its form and its colour. */
const MOVE_INTO: Record<AdmissionState, Omit<AdmissionAction, 'to' | 'opinionRequired'>> = {
  申请: { label: '申请', form: 'submit', type: 'primary' }, // no move leads back to 申请; the table names every state
  审核中: { label: '提交审核', form: 'submit', type: 'primary' },
  准入: { label: '准入', form: 'decide', type: 'success' },
  驳回: { label: '驳回', form: 'decide', type: 'danger' },
  撤销: { label: '撤销', form: 'revoke', type: 'warning' },
}

/** The moves a request in `state` allows (none once rejected or revoked), as the backend says. */
export function actionsFor(state: AdmissionState): AdmissionAction[] {
  return ADMISSION_MOVES[state].map((move) => ({
    to: move.to,
    opinionRequired: move.opinion_required,
    ...MOVE_INTO[move.to],
  }))
}

/** The tag colour of a state. */
export function stateTagType(state: AdmissionState): 'info' | 'warning' | 'success' | 'danger' | 'primary' {
  switch (state) {
    case '申请':
      return 'primary'
    case '审核中':
      return 'warning'
    case '准入':
      return 'success'
    case '驳回':
      return 'danger'
    case '撤销':
      return 'info'
  }
}

/** Today as YYYY-MM-DD, local time (the dates the forms start with). */
export function today(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}

const DATE = /^\d{4}-\d{2}-\d{2}$/u

function filled(text: string): string | null {
  const t = text.trim()
  return t === '' ? null : t
}

/** A number typed in a form: null when empty, NaN when not a number. */
function numberOf(text: string): number | null {
  const t = text.trim()
  if (t === '') return null
  return /^\d+(\.\d+)?$/u.test(t) ? Number(t) : Number.NaN
}

/** What the 新申请 form holds (all text, as typed). */
export interface ApplicationForm {
  applicantUnit: number | null
  applicantText: string
  itemName: string
  content: string
  reason: string
  basis: string
  fundingAmount: string
  fundingSource: string
  staffCount: string
  staffNote: string
  appliedOn: string
  /** The communities and streets (a street: every community of it) the work is asked for. */
  places: number[]
  /** The date the work would start (YYYY-MM-DD), or '' when not given. */
  plannedStart: string
}

export function emptyApplicationForm(date = today(), places: number[] = []): ApplicationForm {
  return {
    places: [...places],
    plannedStart: '',
    applicantUnit: null,
    applicantText: '',
    itemName: '',
    content: '',
    reason: '',
    basis: '',
    fundingAmount: '',
    fundingSource: '',
    staffCount: '',
    staffNote: '',
    appliedOn: date,
  }
}

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string }

/** The form as an application, or what is missing, in Chinese (the backend checks again). The
 * first place chosen is the application's `community`, the others its `more_places`. */
export function applicationFrom(form: ApplicationForm): Checked<AdmissionApplication> {
  const [community, ...morePlaces] = form.places
  if (community === undefined) return { ok: false, message: '请选择申请准入的社区或街道' }
  if (form.applicantUnit === null && filled(form.applicantText) === null) {
    return { ok: false, message: '请选择或填写申请单位' }
  }
  const itemName = filled(form.itemName)
  if (itemName === null) return { ok: false, message: '请填写事项名称' }
  const reason = filled(form.reason)
  if (reason === null) return { ok: false, message: '请填写申请理由' }
  if (!DATE.test(form.appliedOn)) return { ok: false, message: '请选择申请日期' }
  const plannedStart = filled(form.plannedStart ?? '') // a cleared date picker gives null
  if (plannedStart !== null && !DATE.test(plannedStart)) return { ok: false, message: '计划开始日期须为 年-月-日' }
  if (plannedStart !== null && plannedStart < form.appliedOn) {
    return { ok: false, message: `计划开始日期 ${plannedStart} 早于申请日期 ${form.appliedOn}` }
  }
  const amount = numberOf(form.fundingAmount)
  if (Number.isNaN(amount)) return { ok: false, message: '经费须填写数字（万元/年）' }
  const staff = numberOf(form.staffCount)
  if (Number.isNaN(staff) || (staff !== null && !Number.isInteger(staff))) {
    return { ok: false, message: '人员须填写整数' }
  }
  return {
    ok: true,
    value: {
      community,
      applicant_unit: form.applicantUnit,
      applicant_unit_text: filled(form.applicantText),
      item_name: itemName,
      content: filled(form.content),
      reason,
      basis: filled(form.basis),
      funding: { amount_wan: amount, source: filled(form.fundingSource) },
      staff: { count: staff, note: filled(form.staffNote) },
      applied_on: form.appliedOn,
      ...(morePlaces.length > 0 ? { more_places: morePlaces } : {}),
      ...(plannedStart !== null ? { planned_start: plannedStart } : {}),
    },
  }
}

/** What the decision form holds. */
export interface DecisionForm {
  date: string
  opinion: string
  docNo: string
}

/** The decision, or what is missing. `overrideReason` is given (possibly empty) only when
 * 准入 was refused by the gate and the user chose 仍然准入: then it must be filled. */
export function decisionFrom(
  request: number,
  action: AdmissionAction,
  form: DecisionForm,
  overrideReason?: string,
): Checked<AdmissionDecision> {
  if (!DATE.test(form.date)) return { ok: false, message: '请选择日期' }
  const opinion = filled(form.opinion)
  if (action.opinionRequired && opinion === null) {
    return { ok: false, message: action.form === 'revoke' ? '请填写撤销理由' : '请填写审核意见' }
  }
  const override = overrideReason === undefined ? null : filled(overrideReason)
  if (overrideReason !== undefined && override === null) {
    return { ok: false, message: '请写明仍予准入的理由（将记入办理过程）' }
  }
  return {
    ok: true,
    value: {
      request,
      to: action.to,
      date: form.date,
      opinion,
      doc_no: filled(form.docNo),
      ...(override !== null ? { override_reason: override } : {}),
    },
  }
}

/**
 * The reasons of a refusal at 准入 (code `admission_refused`), one per objection, as the backend
 * lists them (`reasons`). Without them (an older backend, another error) the message is kept
 * whole as one reason, less its advice — the form offers 仍然准入 itself.
 */
export function refusalReasons(error: { message: string; reasons?: string[] }): string[] {
  if (error.reasons && error.reasons.length > 0) return error.reasons
  const advice = error.message.lastIndexOf('。如确需准入')
  return [(advice >= 0 ? error.message.slice(0, advice) : error.message).trim()]
}

/** A step of the history that records a 准入 over the gate's objections (its note names the
 * reason to admit anyway, as the backend writes it). */
export function isOverride(step: Pick<TimelineEntry, 'state' | 'note'>): boolean {
  return step.state === '准入' && step.note.includes('仍予准入的理由')
}

/** Whether the request was admitted over the gate's objections (and is still admitted). */
export function admittedOverGate(request: AdmissionRequest): boolean {
  return request.state === '准入' && timeline(request).some(isOverride)
}

/** A choice of the application's 申请范围: a street (all of its communities) or a community. */
export interface PlaceOption {
  id: number
  label: string
  /** The communities the choice stands for. */
  communities: number[]
}

/** The places an application may name, grouped by street (communities directly under a
 * district under the district's name): each street first, as 全部社区, then its communities. */
export function placeGroups(tree: readonly JurisdictionNode[]): Array<{ label: string; options: PlaceOption[] }> {
  const groups: Array<{ label: string; options: PlaceOption[] }> = []
  const communityOf = (node: JurisdictionNode): PlaceOption => ({ id: node.id, label: node.name, communities: [node.id] })
  const visit = (node: JurisdictionNode) => {
    if (node.level === '街道') {
      const under = flattenTree(node.children).filter((e) => e.node.level === '社区').map((e) => e.node)
      if (under.length === 0) return
      groups.push({
        label: node.name,
        options: [
          { id: node.id, label: `${node.name}全部社区（${under.length} 个）`, communities: under.map((c) => c.id) },
          ...under.map(communityOf),
        ],
      })
      return
    }
    const own = node.children.filter((c) => c.level === '社区')
    if (own.length > 0) groups.push({ label: node.name, options: own.map(communityOf) })
    for (const child of node.children) if (child.level !== '社区') visit(child)
  }
  for (const root of tree) visit(root)
  return groups
}

/** How many communities the chosen places stand for (a street and one of its communities count
 * once). */
export function communityCount(tree: readonly JurisdictionNode[], places: readonly number[]): number {
  const options = new Map(placeGroups(tree).flatMap((g) => g.options.map((o) => [o.id, o] as const)))
  return new Set(places.flatMap((id) => options.get(id)?.communities ?? [])).size
}

/** One line of a request's history, oldest first. */
export interface TimelineEntry {
  state: AdmissionState
  date: string
  who: string
  note: string
}

export function timeline(request: AdmissionRequest): TimelineEntry[] {
  const steps = request.history ?? []
  if (steps.length === 0) {
    return [{ state: request.state, date: request.applied_on, who: '', note: '' }]
  }
  return steps.map((step) => ({
    state: step.state,
    date: step.date,
    who: step.actor ?? '',
    note: step.note ?? '',
  }))
}

/** Who applied, as shown: the unit's name when known, else the text written. */
export function applicantOf(request: AdmissionRequest, unitNames: ReadonlyMap<number, string>): string {
  const byUnit = request.applicant_unit != null ? unitNames.get(request.applicant_unit) : undefined
  return byUnit ?? request.applicant_unit_text ?? '（未填写）'
}

/** Every community (社区 level) at or below `node`, in tree order; all of them when null. */
export function communitiesUnder(tree: readonly JurisdictionNode[], node: number | null): JurisdictionNode[] {
  const all = flattenTree(tree)
  const start = node === null ? -1 : all.findIndex((e) => e.node.id === node)
  if (start < 0) return all.filter((e) => e.node.level === '社区').map((e) => e.node)
  const depth = all[start]!.depth
  const out: JurisdictionNode[] = []
  for (let i = start; i < all.length; i += 1) {
    const entry = all[i]!
    if (i > start && entry.depth <= depth) break
    if (entry.node.level === '社区') out.push(entry.node)
  }
  return out
}

/** The community's own list of each of the four kinds (null where it has none yet). */
export function communityLists(
  lists: readonly ListSummary[],
  community: number,
): Array<{ kind: ListKind; title: string; list: ListSummary | null }> {
  return COMMUNITY_LIST_KINDS.map((kind) => ({
    kind,
    title: COMMUNITY_LIST_TITLES[kind] ?? kind,
    list: lists.find((l) => l.jurisdiction === community && l.unit === null && l.kind === kind) ?? null,
  }))
}

/** Units that may apply: every unit that keeps a list in the community's district (the root
 * above it), by name. */
export function applicantUnits(
  tree: readonly JurisdictionNode[],
  lists: readonly ListSummary[],
  community: number,
): Array<{ id: number; name: string }> {
  const root = tree.find((r) => flattenTree([r]).some((e) => e.node.id === community))
  const inDistrict = new Set(root ? flattenTree([root]).map((e) => e.node.id) : [])
  const seen = new Map<number, string>()
  for (const list of lists) {
    if (list.unit !== null && list.unit_name && inDistrict.has(list.jurisdiction) && list.level === '区') {
      seen.set(list.unit, list.unit_name)
    }
  }
  return [...seen.entries()]
    .map(([id, name]) => ({ id, name }))
    .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'))
}
