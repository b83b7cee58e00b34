import { describe, expect, it } from 'vitest'
import type { VersionComparison } from '../api'
import { changedRows, comparisonSummary, fieldText, newerSideLabel, reasonText, transferText, versionLabel } from './versions'
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
    expect(newerSideLabel(comparison)).toBe('当前清单')
  })

  it('counts transfers, names the newer version, and gives each item its reasons', () => {
    const moved = {
      item: item(4),
      request: 8,
      action: '划转' as const,
      from_list: 2,
      from_list_name: '甲局权责清单',
      to_list: 3,
      to_list_name: '乙局权责清单',
    }
    const comparison: VersionComparison = {
      version: { id: 1, list: 2, number: 1, published_on: '2026-11-01', doc_no: null, note: null, item_count: 3 },
      to: { id: 5, list: 2, number: 2, published_on: '2026-12-01', doc_no: null, note: null, item_count: 2 },
      added: [],
      removed: [item(9)],
      changed: [],
      transferred_out: [moved],
      transferred_in: [],
      unchanged: 1,
      reasons: [
        { item: 9, request: 7, reason: '依据废止', basis: '国务院令' },
        { item: 4, request: 8, reason: '职责调整', basis: null },
        { item: 4, request: null, reason: '修改备注', basis: null },
      ],
    }
    expect(comparisonSummary(comparison)).toBe('新增 0 项，删除 1 项，修改 0 项，调出 1 项，调入 0 项，未变 1 项')
    expect(newerSideLabel(comparison)).toBe('第 2 版')
    expect(reasonText(comparison, 9)).toBe('理由：依据废止，依据：国务院令')
    expect(reasonText(comparison, 4)).toBe('理由：职责调整；理由：修改备注')
    expect(reasonText(comparison, 1)).toBe('')
    expect(transferText(moved)).toBe('划转：甲局权责清单 → 乙局权责清单')
  })
})
