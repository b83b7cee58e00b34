// How places and the structure forms are worded for a clerk: "云岭镇", not "云岭镇（街道）";
// which list kinds a place can keep; which words it may call itself. The choices come from the
// backend (`LIST_KINDS`, `DESIGNATIONS` in the generated bindings), never a copy here.

import { DESIGNATIONS, LIST_KINDS } from '../api/bindings'
import type { JurisdictionNode, Level, ListKind, UnitKind } from '../api'
import { flattenTree } from './tree'

/** The words a place's name may end with and still say what it is. */
const PLACE_WORDS = ['区', '县', '市', '旗', '街道', '镇', '乡', '社区', '村', '居委会', '村委会']

/**
 * A place as a clerk names it: the name alone when it already says what the place is
 * (云岭镇, 青溪街道, 桃源村), else the name with what it is called (东城（街道）).
 */
export function placeLabel(node: { name: string; level: Level; designation?: string | null }): string {
  const name = node.name.trim()
  const called = node.designation?.trim() || node.level
  if (name.endsWith(called) || PLACE_WORDS.some((word) => name.endsWith(word))) return name
  return `${name}（${called}）`
}

/** What a child of a place of this level is called in a button: 街道 under a 区, 社区 under a 街道. */
export function childLevel(level: Level): Level | null {
  if (level === '区') return '街道'
  if (level === '街道') return '社区'
  return null
}

/** The list kinds a place of `level` can keep, its own (no unit) or a unit's. */
export function listKindsFor(level: Level, ofUnit: boolean): ListKind[] {
  return LIST_KINDS.filter((k) => (k.level === null || k.level === level) && (ofUnit || !k.unit_required)).map((k) => k.kind)
}

/** Whether a list of this kind must belong to a unit (三单). */
export function kindNeedsUnit(kind: ListKind): boolean {
  return LIST_KINDS.some((k) => k.kind === kind && k.unit_required)
}

/** What a place of `level` may call itself: the level's own word first, then the others. */
export function designationsFor(level: Level): string[] {
  return [level, ...DESIGNATIONS[level]]
}

/**
 * The streets and communities, each community under its street, as options: the street's name,
 * then its communities indented (a full-width space), in tree order.
 */
export function organizedPlaceOptions(roots: readonly JurisdictionNode[]): Array<{ id: number; label: string }> {
  return flattenTree(roots)
    .filter(({ node }) => node.level === '街道' || node.level === '社区')
    .map(({ node }) => ({ id: node.id, label: `${node.level === '社区' ? '　' : ''}${placeLabel(node)}` }))
}

/** The kinds of unit, in the backend's order; the type check fails when `UnitKind` gains one. */
const UNIT_KIND_SET = { 行政: true, 事业: true, 派驻: true, 议事协调: true, 自治组织: true } satisfies Record<UnitKind, true>
export const UNIT_KINDS = Object.keys(UNIT_KIND_SET) as UnitKind[]
