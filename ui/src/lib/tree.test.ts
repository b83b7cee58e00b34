import { describe, expect, it } from 'vitest'
import { countLabel, findNode, flattenTree, formatCount, levelLabel, listTitle, listsOf, pathTo } from './tree'
import { list, sampleTree } from './fixtures'

describe('jurisdiction tree helpers', () => {
  it('flattens depth first with depths', () => {
    const flat = flattenTree(sampleTree()).map(({ node, depth }) => `${depth}:${node.name}`)
    expect(flat).toEqual(['0:示例区', '1:东门街道', '2:东门社区', '1:青山镇', '2:石桥村'])
  })

  it('finds nodes and their path from the root', () => {
    const tree = sampleTree()
    expect(findNode(tree, 5)?.name).toBe('石桥村')
    expect(findNode(tree, 99)).toBeUndefined()
    expect(pathTo(tree, 4)).toEqual(['示例区', '东门街道', '东门社区'])
    expect(pathTo(tree, 99)).toEqual([])
  })

  it('labels a node by its designation, else its level', () => {
    const tree = sampleTree()
    expect(levelLabel(findNode(tree, 2)!)).toBe('街道')
    expect(levelLabel(findNode(tree, 3)!)).toBe('镇')
    expect(levelLabel({ level: '社区', designation: '  ' })).toBe('社区')
  })

  it('counts items below a node, grouped by thousands', () => {
    const root = sampleTree()[0]
    expect(root.total_item_count).toBe(1157)
    expect(countLabel(root)).toBe('1,157 项')
    expect(formatCount(0)).toBe('0')
    expect(formatCount(12345678)).toBe('12,345,678')
  })

  it('lists a jurisdiction’s own lists first, then its units’ lists in unit order', () => {
    const lists = [
      list(10, 2, { unit: 7, unit_name: '城市管理部', kind: '职责清单' }),
      list(11, 2, { kind: '基本履职' }),
      list(12, 1),
      list(13, 2, { unit: 8, unit_name: '党政办公室', kind: '职责清单' }),
      list(14, 2, { kind: '配合履职' }),
    ]
    expect(listsOf(lists, 2).map((l) => l.id)).toEqual([11, 14, 10, 13])
    expect(listsOf(lists, 42)).toEqual([])
  })

  it('titles a list with its place', () => {
    expect(listTitle({ name: '职责清单', jurisdiction_name: '东门街道', unit_name: '城市管理部' })).toBe(
      '东门街道 · 城市管理部 · 职责清单',
    )
    expect(listTitle({ name: '权责清单', jurisdiction_name: '示例区', unit_name: null })).toBe('示例区 · 权责清单')
  })
})
