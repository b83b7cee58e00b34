import { describe, expect, it } from 'vitest'
import { item } from './fixtures'
import {
  bulkBatch,
  cellText,
  deleteBatch,
  gridColumns,
  gridRow,
  insertBatch,
  mergeColumns,
  outlineColumns,
  moveBatch,
  nextMatch,
  pasteBatch,
  cellBatch,
  cellsBatch,
  type GridColumn,
} from './grid'

const units = { 1: '区城市管理局' }

describe('gridColumns', () => {
  it('shows the fields of the kind, any other field with a value, and every extra column', () => {
    const items = [
      item(1, {
        handling_unit: 1,
        remarks: '备注',
        extra: [
          { header: '职权编码', value: 'K1' },
          { header: '备用', value: 'a' },
          { header: '备用', value: 'b' },
        ],
      }),
      item(2, { extra: [{ header: '职权编码', value: 'K2' }] }),
    ]
    const columns = gridColumns('依法履职', items, units)
    const labels = columns.map((c) => c.label)
    expect(labels.slice(0, 3)).toEqual(['序号', '事项名称', '实施依据'])
    expect(labels).toContain('承办机构') // not a field of the kind, but it holds a value
    expect(labels).not.toContain('权力类型')
    expect(labels.slice(-3)).toEqual(['职权编码（原表）', '备用（原表）', '备用（原表，第 2 个）'])
    expect(columns.at(-1)!.field).toEqual({ extra: { header: '备用', index: 1 } })
    expect(new Set(columns.map((c) => c.prop)).size).toBe(columns.length)
  })

  it('gives each cell its text: unit names, numbers, certificate answers, repeated extras', () => {
    const it1 = item(1, {
      handling_unit: 1,
      certificate_allowed: false,
      assistance: { funding: { amount_wan: 20 }, staff: { count: 2 } },
      extra: [
        { header: '备用', value: 'a' },
        { header: '备用', value: 'b' },
      ],
    })
    expect(cellText(it1, { standard: 'handling_unit' }, units)).toBe('区城市管理局')
    expect(cellText(it1, { standard: 'certificate' }, units)).toBe('不得出具')
    expect(cellText(it1, { standard: 'funding_amount' }, units)).toBe('20')
    expect(cellText(it1, { standard: 'staff_count' }, units)).toBe('2')
    expect(cellText(it1, { extra: { header: '备用', index: 1 } }, units)).toBe('b')
    expect(cellText(it1, { extra: { header: '备用', index: 2 } }, units)).toBe('')
    const row = gridRow(it1, gridColumns('证明事项', [it1], units), units)
    expect(row.__id).toBe(1)
    expect(row.certificate).toBe('不得出具')
  })
})

describe('batches built from the grid', () => {
  const items = [1, 2, 3].map((n) => item(n))
  const columns = gridColumns('依法履职', items, {})
  const rows = items.map((i) => gridRow(i, columns, {}))

  it('pastes a block over existing rows and appends the rows beyond the end', () => {
    // Columns: 序号, 事项名称, 实施依据, 备注. Paste 3×2 at row 2 (index 1), column 事项名称.
    const plan = pasteBatch(7, rows, columns, 1, 1, [
      ['甲', '依据甲'],
      ['乙', '依据乙'],
      ['丙', '依据丙'],
    ], 3)
    expect(plan.updatedRows).toBe(2)
    expect(plan.appendedRows).toBe(1)
    expect(plan.batch.reason).toBe('粘贴 3 行 × 2 列')
    expect(plan.batch.edits).toEqual([
      { op: 'set', item: 2, field: { standard: 'name' }, value: '甲', was: '事项2' },
      { op: 'set', item: 2, field: { standard: 'basis' }, value: '依据甲', was: '' },
      { op: 'set', item: 3, field: { standard: 'name' }, value: '乙', was: '事项3' },
      { op: 'set', item: 3, field: { standard: 'basis' }, value: '依据乙', was: '' },
      {
        op: 'insert',
        items: [
          {
            at: 3,
            item: { id: 0, name: '' },
            values: [
              { field: { standard: 'name' }, value: '丙' },
              { field: { standard: 'basis' }, value: '依据丙' },
            ],
          },
        ],
      },
    ])
  })

  it('leaves out cells right of the last column and says how many', () => {
    const plan = pasteBatch(7, rows, columns, 0, 3, [['备注', '多出', '多出']], 3)
    expect(plan.droppedCells).toBe(2)
    expect(plan.batch.edits).toEqual([{ op: 'set', item: 1, field: { standard: 'remarks' }, value: '备注', was: '' }])
  })

  it('pastes over a row whose item is not held without saying what it showed', () => {
    // A long list's rows far from the view hold only their id (lib/rowWindow.ts).
    const plan = pasteBatch(7, [{ __id: 41 }], columns, 0, 1, [['新名称']], 50_000)
    expect(plan.batch.edits).toEqual([{ op: 'set', item: 41, field: { standard: 'name' }, value: '新名称' }])
  })

  it('sets one field on the selected rows, deletes, inserts and moves', () => {
    const bulk = bulkBatch(7, [1, 2], { standard: 'handling_unit' }, '区应急管理局')
    expect(bulk.reason).toBe('批量设置承办机构（2 项）')
    expect(bulk.edits).toHaveLength(2)
    expect(deleteBatch(7, [2, 3]).edits).toEqual([{ op: 'delete', items: [2, 3] }])
    expect(insertBatch(7, 3).edits).toEqual([
      { op: 'insert', items: [{ at: 3, item: { id: 0, name: '新事项' }, values: [] }] },
    ])
    expect(moveBatch(7, [2, 3], 1, -1, 3)!.edits).toEqual([
      { op: 'move', items: [{ item: 2, to: 0 }, { item: 3, to: 1 }] },
    ])
    expect(moveBatch(7, [1], 0, -1, 3)).toBeNull()
    expect(moveBatch(7, [2, 3], 1, 1, 3)).toBeNull()
  })

  it('builds the columns from an outline as from the items, and merges columns', () => {
    const named = [item(1, { name: '消防检查', remarks: '含消防', extra: [{ header: '原编号', value: 'A' }, { header: '原编号', value: 'B' }] })]
    const fromItems = gridColumns('依法履职', named, {})
    const fromOutline = outlineColumns('依法履职', ['name', 'remarks'], [{ header: '原编号', count: 2 }])
    expect(fromOutline).toEqual(fromItems)
    expect(fromOutline.map((c) => c.prop)).toEqual(['seq', 'name', 'basis', 'remarks', 'extra:0:原编号', 'extra:1:原编号'])
    // An edit's value in 承办机构 and a third 原编号 adds those columns in the grid's order.
    const added = outlineColumns('依法履职', ['handling_unit'], [{ header: '原编号', count: 3 }])
    expect(mergeColumns('依法履职', fromOutline, added).map((c) => c.prop)).toEqual([
      'seq', 'name', 'basis', 'handling_unit', 'remarks', 'extra:0:原编号', 'extra:1:原编号', 'extra:2:原编号',
    ])
  })

  it('steps through the matches round, both ways', () => {
    expect(nextMatch(-1, 3, 1)).toBe(0)
    expect(nextMatch(2, 3, 1)).toBe(0)
    expect(nextMatch(-1, 3, -1)).toBe(2)
    expect(nextMatch(0, 3, -1)).toBe(2)
    expect(nextMatch(-1, 0, 1)).toBe(-1)
  })
})

describe('cell edits say what the cell showed', () => {
  // Issue 19: with several people on one database, an edit carries the text the user saw
  // (`was`), so that another user's change of the same field meanwhile is refused with both
  // values instead of being written over.
  const column: GridColumn = { prop: 'name', label: '事项名称', field: { standard: 'name' }, width: 260 }
  it('sends the text shown before the edit', () => {
    expect(cellBatch(1, 7, column, '新名称', '旧名称').edits).toEqual([
      { op: 'set', item: 7, field: { standard: 'name' }, value: '新名称', was: '旧名称' },
    ])
    expect(cellsBatch(1, [[7, column, '', '旧名称']], '清除').edits).toEqual([
      { op: 'set', item: 7, field: { standard: 'name' }, value: '', was: '旧名称' },
    ])
  })
  it('leaves it out when the caller does not know it', () => {
    expect(cellBatch(1, 7, column, '新名称').edits).toEqual([{ op: 'set', item: 7, field: { standard: 'name' }, value: '新名称' }])
  })
})
