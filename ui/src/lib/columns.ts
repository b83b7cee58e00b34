// What the item table shows: the standard fields of a published list (docs/domain.md §2), the parts a
// list kind adds (配合, 收回, 协助, 证明), and the extra columns an import kept verbatim.
// Every value is plain text; the table renders it as text.

import type { Item } from '../api'

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

/** Every column the table knows, in display order. */
export const COLUMNS: readonly Column[] = [
  { key: 'seq', label: '序号', width: 72, value: (i) => text(i.seq) },
  { key: 'code', label: '事项编码', width: 150, value: (i) => text(i.code) },
  { key: 'name', label: '事项名称', minWidth: 200, value: (i) => text(i.name) },
  { key: 'sub_item', label: '子项名称', minWidth: 160, value: (i) => text(i.sub_item) },
  { key: 'category', label: '类别', width: 110, value: (i) => text(i.category) },
  { key: 'power_type', label: '权力类型', width: 110, value: (i) => text(i.power_type) },
  { key: 'basis', label: '实施依据', minWidth: 280, value: (i) => text(i.basis) },
  { key: 'subject', label: '行使主体', minWidth: 140, value: (i) => text(i.subject) },
  {
    key: 'handling_unit',
    label: '承办机构',
    minWidth: 140,
    value: (i, u) => unit(i.handling_unit, i.handling_unit_text, u),
  },
  {
    key: 'level_and_authority',
    label: '实施层级及权限',
    minWidth: 160,
    value: (i) => text(i.level_and_authority),
  },
  { key: 'department_duty', label: '部门职责', minWidth: 200, value: (i) => text(i.department_duty) },
  {
    key: 'lead_unit',
    label: '主责部门',
    minWidth: 140,
    value: (i, u) => unit(i.coordination?.lead_unit, i.coordination?.lead_unit_text, u),
  },
  {
    key: 'superior_duty',
    label: '上级部门职责',
    minWidth: 220,
    value: (i) => text(i.coordination?.superior_duty),
  },
  {
    key: 'street_duty',
    label: '街道配合职责',
    minWidth: 220,
    value: (i) => text(i.coordination?.street_duty),
  },
  {
    key: 'receiving_unit',
    label: '承接部门',
    minWidth: 140,
    value: (i, u) => unit(i.withdrawal?.receiving_unit, i.withdrawal?.receiving_unit_text, u),
  },
  {
    key: 'working_method',
    label: '工作方式',
    minWidth: 200,
    value: (i) => text(i.withdrawal?.working_method),
  },
  {
    key: 'requesting_unit',
    label: '申请部门',
    minWidth: 140,
    value: (i, u) => unit(i.assistance?.requesting_unit, i.assistance?.requesting_unit_text, u),
  },
  { key: 'funding', label: '经费', minWidth: 140, value: (i) => fundingText(i) },
  { key: 'staff', label: '人员', minWidth: 120, value: (i) => staffText(i) },
  { key: 'certificate', label: '可否出具', width: 100, value: (i) => certificateText(i) },
  { key: 'responsibility', label: '责任事项内容', minWidth: 240, value: (i) => text(i.responsibility) },
  {
    key: 'responsibility_basis',
    label: '责任事项依据',
    minWidth: 220,
    value: (i) => text(i.responsibility_basis),
  },
  {
    key: 'accountable_scope',
    label: '追责对象范围',
    minWidth: 160,
    value: (i) => text(i.accountable_scope),
  },
  {
    key: 'accountability_cases',
    label: '追责情形',
    minWidth: 240,
    value: (i) => text(i.accountability_cases),
  },
  { key: 'supervision_phone', label: '监督电话', width: 130, value: (i) => text(i.supervision_phone) },
  { key: 'remarks', label: '备注', minWidth: 140, value: (i) => text(i.remarks) },
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
