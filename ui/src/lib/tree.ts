// Helpers over the jurisdiction tree (区 → 街道 → 社区) the backend sends in `Overview`.

import type { JurisdictionNode, ListSummary } from '../api'

/** What a node is called: its own designation (镇, 村) when it has one, else the level. */
export function levelLabel(node: Pick<JurisdictionNode, 'level' | 'designation'>): string {
  const designation = node.designation?.trim()
  return designation ? designation : node.level
}

/** Every node, depth first, parents before children, with its depth (roots are 0). */
export function flattenTree(
  roots: readonly JurisdictionNode[],
): Array<{ node: JurisdictionNode; depth: number }> {
  const out: Array<{ node: JurisdictionNode; depth: number }> = []
  const visit = (node: JurisdictionNode, depth: number) => {
    out.push({ node, depth })
    for (const child of node.children) visit(child, depth + 1)
  }
  for (const root of roots) visit(root, 0)
  return out
}

/** The node with this id, if any. */
export function findNode(
  roots: readonly JurisdictionNode[],
  id: number,
): JurisdictionNode | undefined {
  return flattenTree(roots).find((entry) => entry.node.id === id)?.node
}

/** Names from the root down to the node with this id ([] when absent). */
export function pathTo(roots: readonly JurisdictionNode[], id: number): string[] {
  const walk = (nodes: readonly JurisdictionNode[], trail: string[]): string[] | undefined => {
    for (const node of nodes) {
      const here = [...trail, node.name]
      if (node.id === id) return here
      const below = walk(node.children, here)
      if (below) return below
    }
    return undefined
  }
  return walk(roots, []) ?? []
}

/** Thousands grouped the Chinese way for counts: 1234 → "1,234". */
export function formatCount(n: number): string {
  return Math.max(0, Math.trunc(n)).toLocaleString('en-US')
}

/** The badge next to a node: items of the node and everything below it. */
export function countLabel(node: Pick<JurisdictionNode, 'total_item_count'>): string {
  return `${formatCount(node.total_item_count)} 项`
}

/**
 * The lists kept by one jurisdiction: its own lists first, then its units' lists in unit order
 * (the order the org chart was entered in), each group in the order the lists were entered.
 */
export function listsOf(lists: readonly ListSummary[], jurisdiction: number): ListSummary[] {
  return lists
    .filter((list) => list.jurisdiction === jurisdiction)
    .sort((a, b) => {
      const ownFirst = Number(a.unit !== null) - Number(b.unit !== null)
      if (ownFirst !== 0) return ownFirst
      const byUnitId = (a.unit ?? 0) - (b.unit ?? 0)
      if (byUnitId !== 0) return byUnitId
      return a.id - b.id
    })
}

/** A list's title as a line: "XX街道 · 城市管理部 · 职责清单". */
export function listTitle(list: Pick<ListSummary, 'name' | 'jurisdiction_name' | 'unit_name'>): string {
  return [list.jurisdiction_name, list.unit_name, list.name]
    .filter((part): part is string => typeof part === 'string' && part.trim() !== '')
    .join(' · ')
}
