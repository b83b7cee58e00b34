import { describe, expect, it } from 'vitest'
import type { VersionComparison } from '../api'
import { changedRows, comparisonSummary, fieldText, versionLabel } from './versions'
import { item } from './fixtures'

describe('version comparison display', () => {
  it('names a version by number, date and 文号', () => {
    expect(versionLabel({ number: 2, published_on: '2026-11-23', doc_no: '青编办〔2026〕12号' })).toBe(
      '第 2 版（2026-11-23，青编办〔2026〕12号）',
    )
    expect(versionLabel({ number: 1, published_on: '2026-01-05', doc_no: null })).toBe('第 1 版（2026-01-05）')
  })

  it('shows each changed field before and after as text, empty ones marked', () => {
    const before = item(5, { name: '占道经营查处', power_type: '行政处罚', remarks: null, handling_unit: 3 })
    const after = item(5, { name: '占道经营处罚', power_type: '行政处罚', remarks: '新增备注', handling_unit: 4 })
    const rows = changedRows([{ before, after, fields: ['事项名称', '备注', '承办机构'], differences: [] }], { 3: '城管局', 4: '市监局' })
    expect(rows).toEqual([
      {
        id: 5,
        name: '占道经营处罚（原：占道经营查处）',
        fields: [
          { label: '事项名称', before: '占道经营查处', after: '占道经营处罚' },
          { label: '备注', before: '（空）', after: '新增备注' },
          { label: '承办机构', before: '城管局', after: '市监局' },
        ],
      },
    ])
  })

  it('spells out grouped fields part by part, and the extra fields', () => {
    const assisted = item(1, {
      assistance: { requesting_unit_text: '区民政局', funding: { amount_wan: 2, source: '区财政' }, staff: { count: 1 } },
      extra: [{ header: '职权编码', value: 'X01' }],
    })
    expect(fieldText('协助信息（申请部门、经费、人员）', assisted)).toBe(
      '申请部门：区民政局；经费：2 万元/年（区财政）；人员：1 人',
    )
    expect(fieldText('其他字段', assisted)).toBe('职权编码：X01')
    expect(fieldText('不存在的字段', assisted)).toBe('')
  })

  it('sums the comparison up in one line', () => {
    const comparison: VersionComparison = {
      version: { id: 1, list: 2, number: 1, published_on: '2026-11-23', doc_no: null, note: null, item_count: 3 },
      to: null,
      added: [item(9)],
      removed: [],
      changed: [{ before: item(1), after: item(1, { name: '改' }), fields: ['事项名称'], differences: [] }],
      transferred_out: [],
      transferred_in: [],
      unchanged: 2,
      reasons: [],
    }
    expect(comparisonSummary(comparison)).toBe('新增 1 项，删除 0 项，修改 1 项，未变 2 项')
  })
})
