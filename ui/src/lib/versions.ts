// Published versions of a list, and a version compared with the list now: what to call a
// version, and each changed field of a changed item as text before and after (the backend names
// the fields by their Chinese labels; the same labels the item table uses).

import type { ChangedItem, Item, TransferredItem, VersionComparison, VersionSummary } from '../api'
import { COLUMNS, extraText, type UnitNames } from './columns'

/** "第 2 版（2026-11-23，青编办〔2026〕12号）". */
export function versionLabel(version: Pick<VersionSummary, 'number' | 'published_on' | 'doc_no'>): string {
  const parts = [version.published_on, version.doc_no?.trim()].filter((p): p is string => !!p)
  return `第 ${version.number} 版（${parts.join('，')}）`
}

function columnText(label: string, item: Item, units: UnitNames): string {
  return COLUMNS.find((c) => c.label === label)?.value(item, units) ?? ''
}

/** Labels the backend groups several columns under. */
const GROUPS: Record<string, readonly string[]> = {
  '配合履职信息（主责部门、职责边界）': ['主责部门', '上级部门职责', '街道配合职责'],
  '收回信息（承接部门、工作方式）': ['承接部门', '工作方式'],
  '协助信息（申请部门、经费、人员）': ['申请部门', '经费', '人员'],
}

/** A field of an item as text, by the label the comparison names it with. */
export function fieldText(label: string, item: Item, units: UnitNames = {}): string {
  if (label === '其他字段') return extraText(item)
  const group = GROUPS[label]
  if (group) {
    return group
      .map((part) => {
        const value = columnText(part, item, units)
        return value ? `${part}：${value}` : ''
      })
      .filter(Boolean)
      .join('；')
  }
  return columnText(label, item, units)
}

export interface FieldChange {
  label: string
  before: string
  after: string
}

export interface ChangedRow {
  id: number
  /** The item's name now (and before, when the name itself changed). */
  name: string
  fields: FieldChange[]
}

export function changedRows(changed: readonly ChangedItem[], units: UnitNames = {}): ChangedRow[] {
  return changed.map((c) => ({
    id: c.after.id,
    name: c.before.name === c.after.name ? c.after.name : `${c.after.name}（原：${c.before.name}）`,
    fields: c.fields.map((label) => ({
      label,
      before: fieldText(label, c.before, units) || '（空）',
      after: fieldText(label, c.after, units) || '（空）',
    })),
  }))
}

/** "新增 1 项，删除 0 项，修改 2 项，未变 98 项"; transfers, when there are any, before 未变. */
export function comparisonSummary(comparison: VersionComparison): string {
  const out = comparison.transferred_out.length
  const into = comparison.transferred_in.length
  const moved = out + into > 0 ? `，调出 ${out} 项，调入 ${into} 项` : ''
  return `新增 ${comparison.added.length} 项，删除 ${comparison.removed.length} 项，修改 ${comparison.changed.length} 项${moved}，未变 ${comparison.unchanged} 项`
}

/** "第 2 版" or "当前清单": the newer side of a comparison. */
export function newerSideLabel(comparison: VersionComparison): string {
  return comparison.to ? `第 ${comparison.to.number} 版` : '当前清单'
}

/** Why an item changed: "理由：…，依据：…" for each reason given, joined; '' when none. */
export function reasonText(comparison: VersionComparison, item: number): string {
  return comparison.reasons
    .filter((r) => r.item === item)
    .map((r) => [r.reason ? `理由：${r.reason}` : '', r.basis ? `依据：${r.basis}` : ''].filter(Boolean).join('，'))
    .filter(Boolean)
    .join('；')
}

/** "划转：甲局权责清单 → 乙局权责清单". */
export function transferText(moved: TransferredItem): string {
  return `${moved.action}：${moved.from_list_name} → ${moved.to_list_name}`
}
