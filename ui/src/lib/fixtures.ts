// Small, hand-made data shaped by the generated bindings, for the unit tests.

import type { Item, JurisdictionNode, ListSummary } from '../api'

export function node(
  id: number,
  name: string,
  level: JurisdictionNode['level'],
  children: JurisdictionNode[] = [],
  own = 0,
): JurisdictionNode {
  return {
    id,
    name,
    level,
    designation: null,
    org_template: null,
    unit_count: 0,
    list_count: 0,
    item_count: own,
    total_item_count: own + children.reduce((sum, c) => sum + c.total_item_count, 0),
    children,
  }
}

export function list(id: number, jurisdiction: number, extra: Partial<ListSummary> = {}): ListSummary {
  return {
    id,
    name: `清单${id}`,
    kind: '权责清单',
    jurisdiction,
    jurisdiction_name: `辖区${jurisdiction}`,
    level: '区',
    unit: null,
    unit_name: null,
    items: 0,
    ...extra,
  }
}

export function item(id: number, extra: Partial<Item> = {}): Item {
  return { id, name: `事项${id}`, ...extra }
}

/** 示例区 → 2 streets (one a 镇) → communities. */
export function sampleTree(): JurisdictionNode[] {
  const town = node(3, '青山镇', '街道', [node(5, '石桥村', '社区', [], 7)], 20)
  town.designation = '镇'
  return [node(1, '示例区', '区', [node(2, '东门街道', '街道', [node(4, '东门社区', '社区', [], 30)], 100), town], 1000)]
}
