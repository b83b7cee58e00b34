// The finding badges of the jurisdiction tree: after checks have run, each jurisdiction shows
// how many open red and yellow findings touch it or anything below it.
//
// A finding names its subjects (items, units, leaders, lists, jurisdictions, admission requests),
// not the jurisdiction they belong to. Lists, and units that keep a list, are placed through the
// lists of the `Overview`; items through a map of item → jurisdiction the caller fills with
// `item_location` (only for the items `itemsToLocate` names). Leaders, requests and units
// without a list cannot be placed; a finding counts where its other subjects are, and a finding
// none of whose subjects can be placed counts on the root(s) only (it lies somewhere below).

import type { Finding, JurisdictionNode, ListSummary, Report, Subject } from '../api'

export interface FindingBadge {
  red: number
  yellow: number
}

/** The grades a badge counts (blue findings — overlaps to look at — would drown the tree). */
const COUNTED = new Set<Finding['grade']>(['red', 'yellow'])

function counted(finding: Finding): boolean {
  return !finding.waived && COUNTED.has(finding.grade)
}

/** The items of open red and yellow findings whose jurisdiction is not yet in `known`. */
export function itemsToLocate(report: Report, known: ReadonlyMap<number, number>): number[] {
  const wanted = new Set<number>()
  for (const finding of report.findings) {
    if (!counted(finding)) continue
    for (const subject of finding.subjects) {
      if (subject.kind === 'item' && !known.has(subject.id)) wanted.add(subject.id)
    }
  }
  return [...wanted].sort((a, b) => a - b)
}

/** Where one subject lies, when that can be told. */
export function subjectJurisdiction(
  subject: Subject,
  lists: readonly ListSummary[],
  itemJurisdictions: ReadonlyMap<number, number>,
): number | undefined {
  switch (subject.kind) {
    case 'jurisdiction':
      return subject.id
    case 'list':
      return lists.find((l) => l.id === subject.id)?.jurisdiction
    case 'unit':
      return lists.find((l) => l.unit === subject.id)?.jurisdiction
    case 'item':
      return itemJurisdictions.get(subject.id)
    default:
      return undefined
  }
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

/**
 * Badges by jurisdiction id: each open red or yellow finding counts once on every jurisdiction
 * that one of its subjects lies in or below. Jurisdictions without such a finding are absent.
 */
export function findingBadges(
  report: Report,
  tree: readonly JurisdictionNode[],
  lists: readonly ListSummary[],
  itemJurisdictions: ReadonlyMap<number, number>,
): Map<number, FindingBadge> {
  const parentOf = parents(tree)
  const badges = new Map<number, FindingBadge>()
  for (const finding of report.findings) {
    if (!counted(finding)) continue
    const touched = new Set<number>()
    for (const subject of finding.subjects) {
      let at = subjectJurisdiction(subject, lists, itemJurisdictions)
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
