// Where an import's items will land, checked before 导入: a department of another place (a 市
// or 州 department) filed under the district in the database is asked about first (issue 18),
// and files dropped on the window are taken only when they are workbooks.

import type { JurisdictionNode } from '../api'

/** The workbook formats the importer reads (docs/import.md, Formats). */
export const WORKBOOK_EXTENSIONS = ['xls', 'xlsx', 'ods', 'csv'] as const

/** The paths among `paths` that name a workbook the importer reads, in their order. */
export function workbookPaths(paths: readonly string[]): string[] {
  return paths.filter((p) => {
    const dot = p.lastIndexOf('.')
    return dot > 0 && (WORKBOOK_EXTENSIONS as readonly string[]).includes(p.slice(dot + 1).toLowerCase())
  })
}

/** The place a department's name starts with when it is a province, city, prefecture or
 * league (克拉玛依市生态环境局 → 克拉玛依市); none for a district's or county's own. */
export function placeOf(department: string): string | null {
  const found = /^(.{2,12}?(?:省|自治区|市|自治州|州|地区|盟))/u.exec(department.trim())
  return found ? found[1]! : null
}

/** The jurisdiction the import files its items under when 辖区 is left on 自动 for a district
 * list: the database's only top-level one (the backend's rule, `jurisdiction_name`). */
export function automaticJurisdiction(tree: readonly JurisdictionNode[]): string | null {
  return tree.length === 1 ? tree[0]!.name : null
}

/** Whether to ask before filing `department` under `jurisdiction`: the department belongs to a
 * place the jurisdiction is not part of (a 市 department under a 区 of another city). */
export function departmentOfAnotherPlace(department: string, jurisdiction: string | null): string | null {
  if (!jurisdiction) return null
  const place = placeOf(department)
  if (!place || jurisdiction.includes(place) || department.includes(jurisdiction) || place.includes(jurisdiction)) return null
  return place
}
