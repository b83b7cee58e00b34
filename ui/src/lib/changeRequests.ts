// The 调整 screen's model (调整申请, docs/adjustment.md): which actions a list offers, where a
// transfer may go, the 提出调整申请 form turned into the backend's `ChangeProposal`, the review
// moves a request offers (from `CHANGE_MOVES`, generated from the backend's
// `ChangeState::can_move_to` and `needs_opinion`; this module only adds words and colours), and
// how a request reads on the list it leaves and on the list it reaches.

import { CHANGE_MOVES } from '../api'
import type {
  AppliedField,
  ChangeAction,
  ChangeProposal,
  ChangeRequest,
  ChangeReview,
  ChangeState,
  FieldRef,
  FieldSetting,
  Item,
  ItemField,
  ListSummary,
} from '../api'
import type { UnitNames } from './columns'
import { ALL_FIELDS, FIELD_LABELS } from './fields'
import { cellText } from './grid'
import { listTitle } from './tree'

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string }

interface ActionInfo {
  /** What the action does, in a line (the form's hint). */
  hint: string
  /** The level the item's list must be at (transfers only). */
  from?: ListSummary['level']
  /** What the receiving list is called in the form (transfers only). */
  target?: string
}

/** The six actions in the order the procedure names them, with what each needs. */
export const CHANGE_ACTIONS = {
  新增: { hint: '在清单中增加一个事项：填写新事项的字段（须有事项名称）' },
  取消: { hint: '把所选事项从清单中取消' },
  变更: { hint: '修改所选事项的字段：每行一个字段和它的新内容（留空即清空该字段）' },
  下放: { hint: '区级部门的事项交给街道承接', from: '区', target: '接收的街道清单' },
  收回: { hint: '街道的事项由区级部门收回（街道的“上级部门收回”清单留下记录）', from: '街道', target: '承接部门（接收清单）' },
  划转: { hint: '事项在区级部门之间划转', from: '区', target: '承接部门（接收清单）' },
} as const satisfies Record<ChangeAction, ActionInfo>

export const ACTION_NAMES = Object.keys(CHANGE_ACTIONS) as ChangeAction[]

/** Actions that move an item to another list. */
export function isTransfer(action: ChangeAction): boolean {
  return action === '下放' || action === '收回' || action === '划转'
}

/** Actions that set fields. */
export function setsFields(action: ChangeAction): boolean {
  return action === '新增' || action === '变更'
}

/** The actions a list offers: a transfer only from the level it starts at. */
export function actionsForList(list: Pick<ListSummary, 'level'>): ChangeAction[] {
  return ACTION_NAMES.filter((action) => {
    const info: ActionInfo = CHANGE_ACTIONS[action]
    return info.from === undefined || info.from === list.level
  })
}

/** The lists a transfer from `source` may land on: a street's for 下放, a district
 * department's for 收回, another district department's 权责清单 for 划转. */
export function transferTargets(action: ChangeAction, lists: readonly ListSummary[], source: ListSummary): ListSummary[] {
  return lists.filter((l) => {
    if (l.id === source.id) return false
    switch (action) {
      case '下放':
        return l.level === '街道'
      case '收回':
        return l.level === '区' && l.unit !== null
      case '划转':
        return l.level === '区' && l.kind === '权责清单' && l.unit !== null
      default:
        return false
    }
  })
}

/** A receiving list as the form offers it: the department (or jurisdiction) first. */
export function targetLabel(list: ListSummary): string {
  return listTitle(list)
}

/** A field a 新增 or 变更 may set: a standard field by its key, or an extra column (kept from an
 * import) as `extra:原表头`, which is how the backend reads it. */
export type SettableField = ItemField | `extra:${string}`

export interface FieldChoice {
  field: SettableField
  label: string
}

/** The standard fields a 新增 or 变更 may set, in the grid's order and words (from `ITEM_FIELDS`). */
export const SETTABLE_FIELDS: ReadonlyArray<FieldChoice> = ALL_FIELDS.filter((f) => f !== 'seq').map((field) => ({
  field,
  label: FIELD_LABELS[field],
}))

function extraHeader(field: SettableField): string | null {
  return field.startsWith('extra:') ? field.slice('extra:'.length) : null
}

/** A field as the form and its messages name it. */
export function fieldLabel(field: SettableField): string {
  const header = extraHeader(field)
  return header === null ? FIELD_LABELS[field as ItemField] : `${header}（附加）`
}

/** A request's setting's field as stored (a label, an English key or `extra:原表头`), for reading. */
export function storedFieldText(field: string): string {
  const header = field.startsWith('extra:') ? field.slice('extra:'.length) : field.startsWith('附加:') ? field.slice('附加:'.length) : null
  if (header !== null) return `${header.trim()}（附加）`
  return FIELD_LABELS[field as ItemField] ?? field
}

/** The fields the form offers for a list: the standard ones, then the extra columns its items
 * carry (as the grid shows them after the standard columns). */
export function fieldChoices(items: readonly Item[]): FieldChoice[] {
  const headers = new Set<string>()
  for (const item of items) for (const extra of item.extra ?? []) if (extra.header.trim() !== '') headers.add(extra.header)
  return [
    ...SETTABLE_FIELDS,
    ...[...headers].map((header) => ({ field: `extra:${header}` as SettableField, label: `${header}（附加）` })),
  ]
}

/** The text of a field of an item now, as a cell shows it. */
export function settingText(item: Item, field: SettableField, units: UnitNames): string {
  const header = extraHeader(field)
  const ref: FieldRef = header === null ? { standard: field as ItemField } : { extra: { header, index: 0 } }
  return cellText(item, ref, units)
}

/** One line of the form's fields: a field and its new text. */
export interface SettingRow {
  field: SettableField | null
  value: string
}

/** What the 提出调整申请 form holds (all text, as typed). */
export interface ProposalForm {
  action: ChangeAction
  /** The item concerned; for 新增, the item the new one goes after (none: the end). */
  item: number | null
  settings: SettingRow[]
  toList: number | null
  requester: string
  reason: string
  basis: string
  /** 文号, several separated by 、，； or new lines. */
  attachments: string
  proposedOn: string
}

export function emptyProposalForm(date: string, item: number | null = null): ProposalForm {
  const action: ChangeAction = item === null ? '新增' : '变更'
  return {
    action,
    item,
    settings: action === '新增' ? [{ field: 'name', value: '' }] : [{ field: null, value: '' }],
    toList: null,
    requester: '',
    reason: '',
    basis: '',
    attachments: '',
    proposedOn: date,
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/u

function filled(text: string): string | null {
  const t = text.trim()
  return t === '' ? null : t
}

/** The 文号 typed in one box, one each. */
export function attachmentList(text: string): string[] {
  return text
    .split(/[、,，;；\n]+/u)
    .map((t) => t.trim())
    .filter((t) => t !== '')
}

/** The form as a proposal, or what is missing, in Chinese (the backend checks everything again). */
export function proposalFrom(list: number, form: ProposalForm): Checked<ChangeProposal> {
  const action = form.action
  if (action !== '新增' && form.item === null) return { ok: false, message: '请选择要调整的事项' }
  let settings: FieldSetting[] = []
  if (setsFields(action)) {
    const rows = form.settings.filter((row) => row.field !== null || row.value.trim() !== '')
    if (rows.some((row) => row.field === null)) return { ok: false, message: '请为每一行选择字段' }
    const seen = new Set<SettableField>()
    for (const row of rows) {
      if (seen.has(row.field!)) return { ok: false, message: `字段“${fieldLabel(row.field!)}”填了两次` }
      seen.add(row.field!)
    }
    if (action === '新增' && !rows.some((row) => row.field === 'name' && row.value.trim() !== '')) {
      return { ok: false, message: '新增事项须填写事项名称' }
    }
    if (action === '变更' && rows.length === 0) return { ok: false, message: '请填写要变更的字段' }
    // Standard fields by their label (as the table shows it), extra columns as `extra:原表头`.
    settings = rows.map((row) => ({
      field: extraHeader(row.field!) === null ? FIELD_LABELS[row.field as ItemField] : row.field!,
      value: row.value,
    }))
  }
  if (isTransfer(action) && form.toList === null) {
    const info: ActionInfo = CHANGE_ACTIONS[action]
    return { ok: false, message: `请选择${info.target ?? '接收的清单'}` }
  }
  const reason = filled(form.reason)
  if (reason === null) return { ok: false, message: '请填写调整理由' }
  if (!DATE.test(form.proposedOn)) return { ok: false, message: '请选择申请日期' }
  return {
    ok: true,
    value: {
      list,
      action,
      item: action === '新增' ? null : form.item,
      settings,
      after: action === '新增' ? form.item : null,
      to_list: isTransfer(action) ? form.toList : null,
      to_unit: null,
      requester: filled(form.requester),
      reason,
      basis: filled(form.basis),
      attachments: attachmentList(form.attachments),
      proposed_on: form.proposedOn,
    },
  }
}

/** A review move as a button offers it. */
export interface ReviewAction {
  to: ChangeState
  label: string
  /** The opinion (审核意见) must be filled. */
  opinionRequired: boolean
  type: 'primary' | 'success' | 'danger' | 'warning' | 'info'
}

const MOVE_INTO: Record<ChangeState, Omit<ReviewAction, 'to' | 'opinionRequired'>> = {
  申请: { label: '申请', type: 'primary' }, // no review leads back to 申请; the table names every state
  审核中: { label: '提交审核', type: 'primary' },
  同意: { label: '同意', type: 'success' },
  退回: { label: '退回', type: 'danger' },
  已发布: { label: '已发布', type: 'info' }, // reached by publishing a version only
}

/** The review moves a request in `state` allows, as the backend says. */
export function reviewActionsFor(state: ChangeState): ReviewAction[] {
  return CHANGE_MOVES[state].map((move) => ({ to: move.to, opinionRequired: move.opinion_required, ...MOVE_INTO[move.to] }))
}

/** Waiting for a decision: 申请 or 审核中. */
export function isPending(state: ChangeState): boolean {
  return CHANGE_MOVES[state].length > 0
}

export function stateTagType(state: ChangeState): 'primary' | 'warning' | 'success' | 'danger' | 'info' {
  switch (state) {
    case '申请':
      return 'primary'
    case '审核中':
      return 'warning'
    case '同意':
      return 'success'
    case '退回':
      return 'danger'
    case '已发布':
      return 'info'
  }
}

export interface ReviewForm {
  date: string
  opinion: string
}

export function reviewFrom(request: number, action: ReviewAction, form: ReviewForm): Checked<ChangeReview> {
  if (!DATE.test(form.date)) return { ok: false, message: '请选择日期' }
  const opinion = filled(form.opinion)
  if (action.opinionRequired && opinion === null) return { ok: false, message: `“${action.label}”须填写审核意见` }
  return { ok: true, value: { request, to: action.to, opinion, date: form.date } }
}

/** Where a transfer goes, seen from `list`: "转出至 X" on the list it leaves, "自 Y 转入" on the
 * list it reaches, "Y → X" elsewhere (all lists); null for a change that stays on its list. */
export function directionOf(request: ChangeRequest, list: number | null, lists: ReadonlyMap<number, ListSummary>): string | null {
  const to = request.to_list
  if (to === null || to === undefined) return null
  const name = (id: number) => {
    const found = lists.get(id)
    return found ? listTitle(found) : `清单 #${id}`
  }
  if (list === request.list) return `转出至 ${name(to)}`
  if (list === to) return `自 ${name(request.list)} 转入`
  return `${name(request.list)} → ${name(to)}`
}

/** The lists an approved request changed: its own, and the receiving one of a transfer. */
export function listsChangedBy(request: ChangeRequest): number[] {
  const to = request.to_list
  return to === null || to === undefined ? [request.list] : [request.list, to]
}

/** A value before or after a change, as text. */
export function valueText(value: string | null | undefined): string {
  return value === null || value === undefined || value === '' ? '（空）' : value
}

/** What an approved request changed, field by field, as rows. */
export function appliedRows(applied: readonly AppliedField[] | undefined): Array<{ field: string; before: string; after: string }> {
  return (applied ?? []).map((a) => ({ field: a.field, before: valueText(a.before), after: valueText(a.after) }))
}

/** An item as the item picker names it: position, name and 子项. */
export function itemOption(item: Item, index: number): { value: number; label: string } {
  const sub = item.sub_item?.trim()
  return { value: item.id, label: `${index + 1}. ${item.name}${sub ? `（${sub}）` : ''}` }
}

/** One line of a request's history, oldest first. */
export interface TimelineEntry {
  state: ChangeState
  date: string
  who: string
  note: string
}

export function timeline(request: ChangeRequest): TimelineEntry[] {
  const steps = request.history ?? []
  if (steps.length === 0) return [{ state: request.state, date: request.proposed_on, who: '', note: '' }]
  return steps.map((step) => ({ state: step.state, date: step.date, who: step.actor ?? '', note: step.note ?? '' }))
}
