import { describe, expect, it } from 'vitest'
import type { ChangeRequest } from '../api'
import {
  actionsForList,
  attachmentList,
  directionOf,
  emptyProposalForm,
  fieldChoices,
  isPending,
  listsChangedBy,
  proposalFrom,
  reviewActionsFor,
  reviewFrom,
  SETTABLE_FIELDS,
  settingText,
  storedFieldText,
  transferTargets,
} from './changeRequests'
import { ITEM_FIELDS } from '../api/bindings'
import { list } from './fixtures'

const district = list(10, 1, { name: '权责清单', unit: 7, unit_name: '区市场监管局', jurisdiction_name: '青川区' })
const other = list(11, 1, { name: '权责清单', unit: 8, unit_name: '区城管局', jurisdiction_name: '青川区' })
const duties = list(12, 1, { name: '职责清单', kind: '职责清单', unit: 8, unit_name: '区城管局', jurisdiction_name: '青川区' })
const street = list(20, 2, { name: '青溪街道权责清单', level: '街道', jurisdiction_name: '青溪街道' })

function request(extra: Partial<ChangeRequest> = {}): ChangeRequest {
  return { id: 1, list: 10, action: '变更', item_label: '事项', reason: '理由', proposed_on: '2026-12-01', state: '申请', ...extra }
}

describe('change requests', () => {
  it('offers a transfer only from the level it starts at, and only to the lists it may land on', () => {
    expect(actionsForList(district)).toEqual(['新增', '取消', '变更', '下放', '划转'])
    expect(actionsForList(street)).toEqual(['新增', '取消', '变更', '收回'])
    const lists = [district, other, duties, street]
    expect(transferTargets('下放', lists, district).map((l) => l.id)).toEqual([20])
    expect(transferTargets('划转', lists, district).map((l) => l.id)).toEqual([11])
    expect(transferTargets('收回', lists, street).map((l) => l.id)).toEqual([10, 11, 12])
  })

  it('names the fields as the grid does, from the generated field table, then the extra columns', () => {
    expect(SETTABLE_FIELDS.map((f) => f.label)).toEqual(ITEM_FIELDS.filter((f) => f.field !== 'seq').map((f) => f.label))
    const items = [
      { id: 1, name: '甲', handling_unit: 7, extra: [{ header: '职权编码', value: 'XK016' }] },
      { id: 2, name: '乙', extra: [{ header: '职权编码', value: 'XK017' }, { header: '备注2', value: '' }] },
    ]
    const choices = fieldChoices(items)
    expect(choices.slice(SETTABLE_FIELDS.length)).toEqual([
      { field: 'extra:职权编码', label: '职权编码（附加）' },
      { field: 'extra:备注2', label: '备注2（附加）' },
    ])
    expect(settingText(items[0]!, 'extra:职权编码', {})).toBe('XK016')
    expect(settingText(items[0]!, 'handling_unit', { 7: '区应急管理局' })).toBe('区应急管理局')
    const form = { ...emptyProposalForm('2026-12-05', 1), reason: '编码更正', settings: [{ field: 'extra:职权编码' as const, value: 'XK018' }] }
    expect(proposalFrom(10, form)).toMatchObject({ ok: true, value: { settings: [{ field: 'extra:职权编码', value: 'XK018' }] } })
    form.settings = [form.settings[0]!, form.settings[0]!]
    expect(proposalFrom(10, form)).toEqual({ ok: false, message: '字段“职权编码（附加）”填了两次' })
    expect(['extra:职权编码', '实施依据', 'basis'].map(storedFieldText)).toEqual(['职权编码（附加）', '实施依据', '实施依据'])
  })

  it('turns the form into a proposal, fields by their labels, and says what is missing', () => {
    const form = emptyProposalForm('2026-12-05')
    expect(form.action).toBe('新增')
    expect(proposalFrom(10, form)).toEqual({ ok: false, message: '新增事项须填写事项名称' })
    form.settings = [
      { field: 'name', value: '新事项' },
      { field: 'basis', value: '《条例》' },
      { field: null, value: '' },
    ]
    expect(proposalFrom(10, form)).toEqual({ ok: false, message: '请填写调整理由' })
    form.reason = '  职能调整 '
    form.attachments = '青编办〔2026〕1号、青编办〔2026〕2号\n'
    form.item = 5
    const checked = proposalFrom(10, form)
    expect(checked).toEqual({
      ok: true,
      value: {
        list: 10,
        action: '新增',
        item: null,
        settings: [
          { field: '事项名称', value: '新事项' },
          { field: '实施依据', value: '《条例》' },
        ],
        after: 5,
        to_list: null,
        to_unit: null,
        requester: null,
        reason: '职能调整',
        basis: null,
        attachments: ['青编办〔2026〕1号', '青编办〔2026〕2号'],
        proposed_on: '2026-12-05',
      },
    })

    const change = emptyProposalForm('2026-12-05', 5)
    expect(change.action).toBe('变更')
    change.reason = '依据修订'
    expect(proposalFrom(10, change)).toEqual({ ok: false, message: '请填写要变更的字段' })
    change.settings = [
      { field: 'basis', value: '' },
      { field: 'basis', value: 'x' },
    ]
    expect(proposalFrom(10, change)).toEqual({ ok: false, message: '字段“实施依据”填了两次' })
    change.settings = [{ field: 'basis', value: '' }]
    expect(proposalFrom(10, change)).toMatchObject({ ok: true, value: { item: 5, after: null, settings: [{ field: '实施依据', value: '' }] } })

    const cancel = { ...emptyProposalForm('2026-12-05'), action: '取消' as const, reason: '不再实施' }
    expect(proposalFrom(10, cancel)).toEqual({ ok: false, message: '请选择要调整的事项' })
    expect(proposalFrom(10, { ...cancel, item: 3 })).toMatchObject({ ok: true, value: { action: '取消', item: 3, settings: [] } })

    const devolve = { ...emptyProposalForm('2026-12-05', 3), action: '下放' as const, settings: [], reason: '下放街道' }
    expect(proposalFrom(10, devolve)).toEqual({ ok: false, message: '请选择接收的街道清单' })
    expect(proposalFrom(10, { ...devolve, toList: 20 })).toMatchObject({ ok: true, value: { to_list: 20, item: 3 } })
  })

  it('splits 文号 on the separators people type', () => {
    expect(attachmentList(' A号，B号;C号；\nD号、 ')).toEqual(['A号', 'B号', 'C号', 'D号'])
  })

  it('offers the review moves the backend allows, and wants an opinion for 退回', () => {
    expect(reviewActionsFor('申请').map((a) => a.label)).toEqual(['提交审核'])
    expect(reviewActionsFor('审核中').map((a) => [a.to, a.opinionRequired])).toEqual([
      ['同意', false],
      ['退回', true],
    ])
    expect(reviewActionsFor('同意')).toEqual([])
    expect(reviewActionsFor('退回')).toEqual([])
    expect(reviewActionsFor('已发布')).toEqual([])
    expect([isPending('申请'), isPending('审核中'), isPending('同意'), isPending('已发布')]).toEqual([true, true, false, false])
    const back = reviewActionsFor('审核中')[1]!
    expect(reviewFrom(1, back, { date: '2026-12-05', opinion: ' ' })).toEqual({ ok: false, message: '“退回”须填写审核意见' })
    expect(reviewFrom(1, back, { date: '2026-12-05', opinion: '依据不足' })).toEqual({
      ok: true,
      value: { request: 1, to: '退回', opinion: '依据不足', date: '2026-12-05' },
    })
  })

  it('shows a transfer on both lists: 转出至 on the one it leaves, 自 … 转入 on the one it reaches', () => {
    const lists = new Map([district, street].map((l) => [l.id, l]))
    const withdrawal = request({ action: '收回', list: 20, to_list: 10 })
    expect(directionOf(withdrawal, 20, lists)).toBe('转出至 青川区 · 区市场监管局 · 权责清单')
    expect(directionOf(withdrawal, 10, lists)).toBe('自 青溪街道 · 青溪街道权责清单 转入')
    expect(directionOf(withdrawal, null, lists)).toBe('青溪街道 · 青溪街道权责清单 → 青川区 · 区市场监管局 · 权责清单')
    expect(directionOf(request(), 10, lists)).toBeNull()
    expect(listsChangedBy(withdrawal)).toEqual([20, 10])
    expect(listsChangedBy(request())).toEqual([10])
  })
})
