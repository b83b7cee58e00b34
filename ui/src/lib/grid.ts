// The list editor's grid model: which columns a list shows (the fields of its kind, any other
// field that holds a value, and every extra column kept from an import), the text of each cell,
// and the edit batches that typing, pasting, bulk setting, inserting, deleting and moving rows
// become. Everything here is plain data, so it is tested without a window; the grid component
// only displays rows and reports what the user did.

import type { EditBatch, ExtraHeader, FieldRef, Item, ItemEdit, ItemField, ListKind, NewItem } from '../api'
import type { UnitNames } from './columns'
import { ALL_FIELDS, FIELD_LABELS } from './fields'

export interface GridColumn {
  /** Key of the cell in a row object; unique within the grid. */
  prop: string
  label: string
  field: FieldRef
  width: number
}

/** A row of the grid: the item's id and the text of each cell, by column prop. */
export type GridRow = { __id: number } & { [prop: string]: string | number }

export { ALL_FIELDS, FIELD_LABELS }

const WIDTHS: Partial<Record<ItemField, number>> = {
  // Five digits with the cell's padding: at 64 px a list's 序号 from 1000 on showed as "24…".
  seq: 84,
  code: 140,
  name: 260,
  sub_item: 180,
  category: 110,
  power_type: 110,
  basis: 300,
  handling_unit: 150,
  lead_unit: 150,
  receiving_unit: 150,
  requesting_unit: 150,
  superior_duty: 240,
  street_duty: 240,
  working_method: 220,
  responsibility: 260,
  responsibility_basis: 220,
  accountability_cases: 240,
  funding_amount: 120,
  staff_count: 90,
  certificate: 100,
  supervision_phone: 130,
}

/** The fields each kind of list is written with (docs/domain.md §1–2), always shown even when empty. */
const KIND_FIELDS: Record<ListKind, ItemField[]> = {
  权责清单: [
    'seq', 'code', 'name', 'sub_item', 'power_type', 'basis', 'subject', 'handling_unit',
    'level_and_authority', 'department_duty', 'responsibility', 'responsibility_basis',
    'accountable_scope', 'accountability_cases', 'remarks',
  ],
  基本履职: ['seq', 'category', 'name', 'basis', 'handling_unit', 'remarks'],
  配合履职: ['seq', 'category', 'name', 'lead_unit', 'superior_duty', 'street_duty', 'basis', 'remarks'],
  上级部门收回: ['seq', 'category', 'name', 'receiving_unit', 'working_method', 'basis', 'remarks'],
  依法履职: ['seq', 'name', 'basis', 'remarks'],
  协助政府: [
    'seq', 'name', 'requesting_unit', 'basis', 'funding_amount', 'funding_source', 'staff_count',
    'staff_note', 'remarks',
  ],
  负面清单: ['seq', 'name', 'basis', 'remarks'],
  证明事项: ['seq', 'name', 'certificate', 'basis', 'handling_unit', 'remarks'],
  职责清单: ['seq', 'name', 'basis', 'remarks'],
  任务清单: ['seq', 'name', 'basis', 'remarks'],
  责任清单: ['seq', 'name', 'basis', 'remarks'],
  社区服务清单: ['seq', 'name', 'basis', 'handling_unit', 'supervision_phone', 'remarks'],
}

const text = (value: string | null | undefined): string => value ?? ''

function unitText(id: number | null | undefined, written: string | null | undefined, units: UnitNames) {
  if (written !== null && written !== undefined && written !== '') return written
  if (id !== null && id !== undefined && units[id]) return units[id]
  return ''
}

/** The text of one standard field of an item, as a cell shows and edits it. */
export function fieldText(item: Item, field: ItemField, units: UnitNames): string {
  switch (field) {
    case 'seq': return text(item.seq)
    case 'code': return text(item.code)
    case 'name': return item.name
    case 'sub_item': return text(item.sub_item)
    case 'category': return text(item.category)
    case 'power_type': return text(item.power_type)
    case 'basis': return text(item.basis)
    case 'subject': return text(item.subject)
    case 'handling_unit': return unitText(item.handling_unit, item.handling_unit_text, units)
    case 'level_and_authority': return text(item.level_and_authority)
    case 'department_duty': return text(item.department_duty)
    case 'lead_unit':
      return unitText(item.coordination?.lead_unit, item.coordination?.lead_unit_text, units)
    case 'superior_duty': return text(item.coordination?.superior_duty)
    case 'street_duty': return text(item.coordination?.street_duty)
    case 'receiving_unit':
      return unitText(item.withdrawal?.receiving_unit, item.withdrawal?.receiving_unit_text, units)
    case 'working_method': return text(item.withdrawal?.working_method)
    case 'requesting_unit':
      return unitText(item.assistance?.requesting_unit, item.assistance?.requesting_unit_text, units)
    case 'funding_amount': {
      const amount = item.assistance?.funding?.amount_wan
      return amount === null || amount === undefined ? '' : String(amount)
    }
    case 'funding_source': return text(item.assistance?.funding?.source)
    case 'staff_count': {
      const count = item.assistance?.staff?.count
      return count === null || count === undefined ? '' : String(count)
    }
    case 'staff_note': return text(item.assistance?.staff?.note)
    case 'certificate':
      return item.certificate_allowed === true ? '可出具' : item.certificate_allowed === false ? '不得出具' : ''
    case 'responsibility': return text(item.responsibility)
    case 'responsibility_basis': return text(item.responsibility_basis)
    case 'accountable_scope': return text(item.accountable_scope)
    case 'accountability_cases': return text(item.accountability_cases)
    case 'supervision_phone': return text(item.supervision_phone)
    case 'remarks': return text(item.remarks)
  }
}

/** The text of any field of an item. */
export function cellText(item: Item, field: FieldRef, units: UnitNames): string {
  if ('standard' in field) return fieldText(item, field.standard, units)
  let seen = 0
  for (const extra of item.extra ?? []) {
    if (extra.header !== field.extra.header) continue
    if (seen === field.extra.index) return extra.value
    seen += 1
  }
  return ''
}

/** The grid's columns for a list of `kind` holding `items`. */
export function gridColumns(kind: ListKind, items: readonly Item[], units: UnitNames): GridColumn[] {
  const used = ALL_FIELDS.filter((field) => items.some((item) => fieldText(item, field, units) !== ''))
  // Extra columns: each header as often as one item repeats it, in order of first appearance.
  const extras: ExtraHeader[] = []
  for (const item of items) {
    const counts = new Map<string, number>()
    for (const extra of item.extra ?? []) {
      const n = (counts.get(extra.header) ?? 0) + 1
      counts.set(extra.header, n)
      const known = extras.find((e) => e.header === extra.header)
      if (!known) extras.push({ header: extra.header, count: n })
      else if (known.count < n) known.count = n
    }
  }
  return outlineColumns(kind, used, extras)
}

/** The grid's columns from what a list's items use: the standard fields holding a value
 * somewhere (`fieldsUsed`, beside the kind's own) and the extra headers with how often one item
 * repeats each — as `Api::list_outline` tells them without sending the items. */
export function outlineColumns(
  kind: ListKind,
  fieldsUsed: readonly ItemField[],
  extraHeaders: readonly ExtraHeader[],
): GridColumn[] {
  const wanted = new Set<ItemField>([...(KIND_FIELDS[kind] ?? ['seq', 'name']), ...fieldsUsed])
  const columns: GridColumn[] = ALL_FIELDS.filter((field) => wanted.has(field)).map((field) => ({
    prop: field,
    label: FIELD_LABELS[field],
    field: { standard: field },
    width: WIDTHS[field] ?? 160,
  }))
  for (const { header, count } of extraHeaders) {
    for (let index = 0; index < count; index++) {
      const shownHeader = header.trim() === '' ? '（无表头）' : header
      columns.push({
        prop: `extra:${index}:${header}`,
        label: index === 0 ? `${shownHeader}（原表）` : `${shownHeader}（原表，第 ${index + 1} 个）`,
        field: { extra: { header, index } },
        width: 160,
      })
    }
  }
  return columns
}

/** The columns of both `a` and `b`, in the grid's order (an edit's new value in a column not
 * shown yet adds it). */
export function mergeColumns(kind: ListKind, a: readonly GridColumn[], b: readonly GridColumn[]): GridColumn[] {
  const fields = [...a, ...b].flatMap((c) => ('standard' in c.field ? [c.field.standard] : []))
  const extras: ExtraHeader[] = []
  for (const c of [...a, ...b]) {
    if (!('extra' in c.field)) continue
    const { header, index } = c.field.extra
    const known = extras.find((e) => e.header === header)
    if (!known) extras.push({ header, count: index + 1 })
    else known.count = Math.max(known.count, index + 1)
  }
  return outlineColumns(kind, fields, extras)
}

/** A grid row for an item. */
export function gridRow(item: Item, columns: readonly GridColumn[], units: UnitNames): GridRow {
  const row: GridRow = { __id: item.id }
  for (const column of columns) row[column.prop] = cellText(item, column.field, units)
  return row
}

function fieldName(field: FieldRef): string {
  return 'standard' in field ? FIELD_LABELS[field.standard] : field.extra.header
}

/**
 * Typing into one cell. `was` is the cell's text as shown before: when another user has changed
 * the same field meanwhile, nothing is saved and the error (`edit_conflict`) shows both values.
 */
export function cellBatch(list: number, item: number, column: GridColumn, value: string, was?: string): EditBatch {
  return {
    list,
    reason: `修改${fieldName(column.field)}`,
    edits: [{ op: 'set', item, field: column.field, value, ...(was === undefined ? {} : { was }) }],
  }
}

/**
 * Several cells at once (autofill, clearing a range, cut): `changes` as [item, column, value],
 * or [item, column, value, was] with the text the cell showed before (see `cellBatch`).
 */
export function cellsBatch(
  list: number,
  changes: ReadonlyArray<readonly [number, GridColumn, string, string?]>,
  reason: string,
): EditBatch {
  return {
    list,
    reason,
    edits: changes.map(([item, column, value, was]) => ({
      op: 'set',
      item,
      field: column.field,
      value,
      ...(was === undefined ? {} : { was }),
    })),
  }
}

/** Set one field to one value on every selected item (bulk edit). */
export function bulkBatch(list: number, items: readonly number[], field: FieldRef, value: string): EditBatch {
  return {
    list,
    reason: `批量设置${fieldName(field)}（${items.length} 项）`,
    edits: items.map((item) => ({ op: 'set', item, field, value })),
  }
}

export interface PastePlan {
  batch: EditBatch
  /** Rows of the block that went to existing rows, and rows appended at the list's end. */
  updatedRows: number
  appendedRows: number
  /** Cells of the block right of the last column, left out. */
  droppedCells: number
}

/**
 * A block pasted with its top-left cell at (`row`, `column`) of the rows shown: cells on existing
 * rows are set (each with the text it showed, `was`); rows of the block below the last shown row become new items appended at the
 * end of the list (`listLength` items now). Cells right of the last column are left out.
 */
export function pasteBatch(
  list: number,
  shownRows: readonly GridRow[],
  columns: readonly GridColumn[],
  row: number,
  column: number,
  block: readonly (readonly string[])[],
  listLength: number,
): PastePlan {
  const edits: ItemEdit[] = []
  const appended: NewItem[] = []
  let droppedCells = 0
  const width = Math.max(0, ...block.map((cells) => cells.length))
  block.forEach((cells, r) => {
    const target = shownRows[row + r]
    const values = cells.flatMap((value, c) => {
      const col = columns[column + c]
      if (!col) {
        droppedCells += 1
        return []
      }
      return [{ field: col.field, value, prop: col.prop }]
    })
    if (target) {
      // Each cell says what it showed (see `cellBatch`): another user's change is not pasted
      // over. A row whose item is not held (a long list's rows far from the view hold only
      // their id) says nothing, and is set whatever it holds.
      for (const { field, value, prop } of values) {
        const was = prop in target ? { was: String(target[prop] ?? '') } : {}
        edits.push({ op: 'set', item: target.__id, field, value, ...was })
      }
    } else {
      const fields = values.map(({ field, value }) => ({ field, value }))
      appended.push({ at: listLength + appended.length, item: { id: 0, name: '' }, values: fields })
    }
  })
  if (appended.length > 0) edits.push({ op: 'insert', items: appended })
  return {
    batch: { list, reason: `粘贴 ${block.length} 行 × ${width} 列`, edits },
    updatedRows: block.length - appended.length,
    appendedRows: appended.length,
    droppedCells,
  }
}

/** A new, blank-but-named row at index `at`. */
export function insertBatch(list: number, at: number, name = '新事项'): EditBatch {
  return { list, reason: '新增事项', edits: [{ op: 'insert', items: [{ at, item: { id: 0, name }, values: [] }] }] }
}

export function deleteBatch(list: number, items: readonly number[]): EditBatch {
  return { list, reason: `删除事项（${items.length} 项）`, edits: [{ op: 'delete', items: [...items] }] }
}

/**
 * Move the contiguous rows `from`..`from + ids.length - 1` (of the whole list) by `delta` rows
 * (−1 up, +1 down); `null` when they are already at the edge.
 */
export function moveBatch(
  list: number,
  ids: readonly number[],
  from: number,
  delta: number,
  listLength: number,
): EditBatch | null {
  const to = from + delta
  if (ids.length === 0 || to < 0 || to + ids.length > listLength) return null
  return {
    list,
    reason: delta < 0 ? '上移事项' : '下移事项',
    edits: [{ op: 'move', items: ids.map((item, k) => ({ item, to: to + k })) }],
  }
}

/** Whether a cell's text holds the find box's text (case-insensitive; nothing for an empty query). */
export function cellMatches(text: unknown, query: string): boolean {
  const wanted = query.trim().toLocaleLowerCase()
  return wanted !== '' && String(text ?? '').toLocaleLowerCase().includes(wanted)
}

/** The match Enter (or Shift+Enter, `step` -1) goes to from `current` (-1: none yet), round. */
export function nextMatch(current: number, count: number, step: 1 | -1): number {
  if (count === 0) return -1
  if (current < 0) return step === 1 ? 0 : count - 1
  return (current + step + count) % count
}
