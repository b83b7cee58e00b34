// What the item table shows: the standard fields of a published list (docs/domain.md §2), the parts a
// list kind adds (配合, 收回, 协助, 证明), and the extra columns an import kept verbatim.
// Every value is plain text; the table renders it as text.

import type { Item } from '../api'
import { FIELD_LABELS } from './fields'

/** Unit names by id, as `ItemPage.unit_names` gives them. */
export type UnitNames = { [id: number]: string }

export interface Column {
  key: string
  label: string
  /** Fixed width in px (short fields) or a minimum (long text). */
  width?: number
  minWidth?: number
  value: (item: Item, units: UnitNames) => string
}

const text = (value: string | null | undefined): string => (value ?? '').trim()

function unit(id: number | null | undefined, written: string | null | undefined, units: UnitNames) {
  if (id !== null && id !== undefined && units[id]) return units[id]
  return text(written)
}

/** 经费: "20 万元/年（区财政专项）". */
export function fundingText(item: Item): string {
  const funding = item.assistance?.funding
  if (!funding) return ''
  const amount =
    funding.amount_wan === null || funding.amount_wan === undefined
      ? ''
      : `${funding.amount_wan} 万元/年`
  const source = text(funding.source)
  if (amount && source) return `${amount}（${source}）`
  return amount || source
}

/** 人员: "2 人（购买服务岗位2名）". */
export function staffText(item: Item): string {
  const staff = item.assistance?.staff
  if (!staff) return ''
  const count = staff.count === null || staff.count === undefined ? '' : `${staff.count} 人`
  const note = text(staff.note)
  if (count && note) return `${count}（${note}）`
  return count || note
}

export function certificateText(item: Item): string {
  if (item.certificate_allowed === true) return '可出具'
  if (item.certificate_allowed === false) return '不得出具'
  return ''
}

/** The extra fields in one line: "原表头：值；原表头2：值2". */
export function extraText(item: Item): string {
  return (item.extra ?? [])
    .filter((field) => text(field.value) !== '')
    .map((field) => `${text(field.header) || '（无表头）'}：${text(field.value)}`)
    .join('；')
}

/** Every column the table knows, in display order. A standard field's column is labelled from
 * the field table; 经费 and 人员 show the 协助 group's two fields each in one column. */
export const COLUMNS: readonly Column[] = [
  { key: 'seq', label: FIELD_LABELS.seq, width: 72, value: (i) => text(i.seq) },
  { key: 'code', label: FIELD_LABELS.code, width: 150, value: (i) => text(i.code) },
  { key: 'name', label: FIELD_LABELS.name, minWidth: 200, value: (i) => text(i.name) },
  { key: 'sub_item', label: FIELD_LABELS.sub_item, minWidth: 160, value: (i) => text(i.sub_item) },
  { key: 'category', label: FIELD_LABELS.category, width: 110, value: (i) => text(i.category) },
  { key: 'power_type', label: FIELD_LABELS.power_type, width: 110, value: (i) => text(i.power_type) },
  { key: 'basis', label: FIELD_LABELS.basis, minWidth: 280, value: (i) => text(i.basis) },
  { key: 'subject', label: FIELD_LABELS.subject, minWidth: 140, value: (i) => text(i.subject) },
  {
    key: 'handling_unit',
    label: FIELD_LABELS.handling_unit,
    minWidth: 140,
    value: (i, u) => unit(i.handling_unit, i.handling_unit_text, u),
  },
  {
    key: 'level_and_authority',
    label: FIELD_LABELS.level_and_authority,
    minWidth: 160,
    value: (i) => text(i.level_and_authority),
  },
  { key: 'department_duty', label: FIELD_LABELS.department_duty, minWidth: 200, value: (i) => text(i.department_duty) },
  {
    key: 'lead_unit',
    label: FIELD_LABELS.lead_unit,
    minWidth: 140,
    value: (i, u) => unit(i.coordination?.lead_unit, i.coordination?.lead_unit_text, u),
  },
  {
    key: 'superior_duty',
    label: FIELD_LABELS.superior_duty,
    minWidth: 220,
    value: (i) => text(i.coordination?.superior_duty),
  },
  {
    key: 'street_duty',
    label: FIELD_LABELS.street_duty,
    minWidth: 220,
    value: (i) => text(i.coordination?.street_duty),
  },
  {
    key: 'receiving_unit',
    label: FIELD_LABELS.receiving_unit,
    minWidth: 140,
    value: (i, u) => unit(i.withdrawal?.receiving_unit, i.withdrawal?.receiving_unit_text, u),
  },
  {
    key: 'working_method',
    label: FIELD_LABELS.working_method,
    minWidth: 200,
    value: (i) => text(i.withdrawal?.working_method),
  },
  {
    key: 'requesting_unit',
    label: FIELD_LABELS.requesting_unit,
    minWidth: 140,
    value: (i, u) => unit(i.assistance?.requesting_unit, i.assistance?.requesting_unit_text, u),
  },
  { key: 'funding', label: '经费', minWidth: 140, value: (i) => fundingText(i) },
  { key: 'staff', label: '人员', minWidth: 120, value: (i) => staffText(i) },
  { key: 'certificate', label: FIELD_LABELS.certificate, width: 100, value: (i) => certificateText(i) },
  { key: 'responsibility', label: FIELD_LABELS.responsibility, minWidth: 240, value: (i) => text(i.responsibility) },
  {
    key: 'responsibility_basis',
    label: FIELD_LABELS.responsibility_basis,
    minWidth: 220,
    value: (i) => text(i.responsibility_basis),
  },
  {
    key: 'accountable_scope',
    label: FIELD_LABELS.accountable_scope,
    minWidth: 160,
    value: (i) => text(i.accountable_scope),
  },
  {
    key: 'accountability_cases',
    label: FIELD_LABELS.accountability_cases,
    minWidth: 240,
    value: (i) => text(i.accountability_cases),
  },
  { key: 'supervision_phone', label: FIELD_LABELS.supervision_phone, width: 130, value: (i) => text(i.supervision_phone) },
  { key: 'remarks', label: FIELD_LABELS.remarks, minWidth: 140, value: (i) => text(i.remarks) },
  { key: 'extra', label: '其他字段', minWidth: 220, value: (i) => extraText(i) },
]

/** Columns always shown, even when empty on the page. */
const ALWAYS = new Set(['seq', 'name'])

/** The columns worth showing for these items: the fixed ones, and any with a value on the page. */
export function visibleColumns(items: readonly Item[], units: UnitNames): Column[] {
  return COLUMNS.filter(
    (column) => ALWAYS.has(column.key) || items.some((item) => column.value(item, units) !== ''),
  )
}

/** Every non-empty field of one item, labelled, for the detail view (extras one by one). */
export function itemDetails(item: Item, units: UnitNames): Array<{ label: string; value: string }> {
  const rows = COLUMNS.filter((c) => c.key !== 'extra')
    .map((c) => ({ label: c.label, value: c.value(item, units) }))
    .filter((row) => row.value !== '')
  for (const field of item.extra ?? []) {
    if (text(field.value) === '') continue
    rows.push({ label: text(field.header) || '（无表头）', value: text(field.value) })
  }
  const from = item.provenance
  if (from) {
    const merged = from.merged_rows?.length ? `，并入第 ${from.merged_rows.join('、')} 行` : ''
    rows.push({
      label: '来源',
      value: `${from.file} · ${from.sheet} · 第 ${from.row} 行${merged}`,
    })
  }
  return rows
}
