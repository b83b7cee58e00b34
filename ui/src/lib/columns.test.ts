import { describe, expect, it } from 'vitest'
import { COLUMNS, extraText, fundingText, itemDetails, staffText, visibleColumns } from './columns'
import { item } from './fixtures'
import { ITEM_FIELDS } from '../api/bindings'

describe('item table columns', () => {
  it('always shows 序号 and 事项名称, and other columns only when the page has values', () => {
    const keys = visibleColumns([item(1), item(2)], {}).map((c) => c.key)
    expect(keys).toEqual(['seq', 'name'])
    const withBasis = visibleColumns([item(1), item(2, { basis: '【法律】《消防法》第十五条', power_type: '行政检查' })], {})
    expect(withBasis.map((c) => c.label)).toEqual(['序号', '事项名称', '权力类型', '实施依据'])
  })

  it('treats blank values as empty', () => {
    expect(visibleColumns([item(1, { remarks: '   ', sub_item: '' })], {}).map((c) => c.key)).toEqual([
      'seq',
      'name',
    ])
  })

  it('names the 承办机构 from the page’s unit names, else as written', () => {
    const handling = COLUMNS.find((c) => c.key === 'handling_unit')!
    expect(handling.value(item(1, { handling_unit: 7, handling_unit_text: '城管科' }), { 7: '城市管理部' })).toBe(
      '城市管理部',
    )
    expect(handling.value(item(1, { handling_unit: 8, handling_unit_text: '城管科' }), { 7: '城市管理部' })).toBe(
      '城管科',
    )
  })

  it('formats funding, staff and extra fields', () => {
    const assisted = item(1, {
      assistance: { funding: { amount_wan: 20, source: '区财政专项' }, staff: { count: 2, note: null } },
      extra: [
        { header: '职权编码', value: '650200207XK016' },
        { header: '', value: '无表头的值' },
        { header: '空列', value: '  ' },
      ],
    })
    expect(fundingText(assisted)).toBe('20 万元/年（区财政专项）')
    expect(staffText(assisted)).toBe('2 人')
    expect(extraText(assisted)).toBe('职权编码：650200207XK016；（无表头）：无表头的值')
    expect(fundingText(item(2))).toBe('')
  })

  it('lists every field of an item for the detail view, extras and source included', () => {
    const details = itemDetails(
      item(1, {
        seq: '3',
        certificate_allowed: false,
        coordination: { lead_unit_text: '区应急管理局', superior_duty: '制定计划', street_duty: '配合检查' },
        extra: [{ header: '救济渠道', value: '行政复议' }],
        provenance: { file: '清单.xlsx', sheet: '行政处罚', row: 12, merged_rows: [13, 14] },
      }),
      {},
    )
    expect(details).toEqual([
      { label: '序号', value: '3' },
      { label: '事项名称', value: '事项1' },
      { label: '主责部门', value: '区应急管理局' },
      { label: '上级部门职责', value: '制定计划' },
      { label: '街道配合职责', value: '配合检查' },
      { label: '可否出具', value: '不得出具' },
      { label: '救济渠道', value: '行政复议' },
      { label: '来源', value: '清单.xlsx · 行政处罚 · 第 12 行，并入第 13、14 行' },
    ])
  })
})

describe('the columns and the field table', () => {
  it('show every standard field, the 协助 group two fields to a column', () => {
    const combined: Partial<Record<string, string>> = {
      funding_amount: 'funding',
      funding_source: 'funding',
      staff_count: 'staff',
      staff_note: 'staff',
    }
    const keys = COLUMNS.map((column) => column.key)
    for (const spec of ITEM_FIELDS) {
      expect(keys).toContain(combined[spec.field] ?? spec.field)
    }
    for (const column of COLUMNS) {
      const spec = ITEM_FIELDS.find((s) => s.field === column.key)
      if (spec) expect(column.label).toBe(spec.label)
    }
  })
})
