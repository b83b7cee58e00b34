// The finding badges of the jurisdiction tree: after checks have run, each jurisdiction shows
// how many open red and yellow findings touch it or anything below it.
//
// Each finding names the jurisdictions its subjects belong to (`Finding.jurisdictions`); a
// finding counts once on each of those and on every jurisdiction above them. A finding that
// names none counts on the root(s) only (it lies somewhere below).

import type { Finding, JurisdictionNode, Report } from '../api'

export interface FindingBadge {
  red: number
  yellow: number
}

/** The grades a badge counts (blue findings — overlaps to look at — would drown the tree). */
const COUNTED = new Set<Finding['grade']>(['red', 'yellow'])

function counted(finding: Finding): boolean {
  return !finding.waived && COUNTED.has(finding.grade)
}

/** Each node's parent (roots are absent). */
function parents(tree: readonly JurisdictionNode[]): Map<number, number> {
  const out = new Map<number, number>()
  const visit = (node: JurisdictionNode) => {
    for (const child of node.children) {
      out.set(child.id, node.id)
      visit(child)
    }
  }
  tree.forEach(visit)
  return out
}

/** Badges by jurisdiction id; jurisdictions without an open red or yellow finding are absent. */
export function findingBadges(report: Report, tree: readonly JurisdictionNode[]): Map<number, FindingBadge> {
  const parentOf = parents(tree)
  const badges = new Map<number, FindingBadge>()
  for (const finding of report.findings) {
    if (!counted(finding)) continue
    const touched = new Set<number>()
    for (const start of finding.jurisdictions) {
      let at: number | undefined = start
      // Up to the root; a depth bound guards against a malformed tree.
      for (let depth = 0; at !== undefined && depth < 16 && !touched.has(at); depth += 1) {
        touched.add(at)
        at = parentOf.get(at)
      }
    }
    if (touched.size === 0) tree.forEach((root) => touched.add(root.id))
    for (const id of touched) {
      const badge = badges.get(id) ?? { red: 0, yellow: 0 }
      if (finding.grade === 'red') badge.red += 1
      else badge.yellow += 1
      badges.set(id, badge)
    }
  }
  return badges
}

/** The badge's words for a screen reader and a tooltip: "红色问题 2 个，黄色问题 1 个". */
export function badgeTitle(badge: FindingBadge): string {
  const parts: string[] = []
  if (badge.red > 0) parts.push(`红色问题 ${badge.red} 个`)
  if (badge.yellow > 0) parts.push(`黄色问题 ${badge.yellow} 个`)
  return parts.join('，')
}
