// Showing the values of a change report (`FieldChange`, `Conflict`: a merge's report, a workbook
// imported again): JSON as the core sends it, references already by name.

/** A report value as text: empty as （空）, a list joined with 、, yes/no in words. */
export function changeValueText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '（空）'
  if (typeof value === 'string') return value
  if (typeof value === 'number') return String(value)
  if (typeof value === 'boolean') return value ? '是' : '否'
  if (Array.isArray(value)) return value.length === 0 ? '（空）' : value.map(changeValueText).join('、')
  return JSON.stringify(value)
}
