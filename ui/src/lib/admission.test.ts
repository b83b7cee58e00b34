import { describe, expect, it } from 'vitest'
import type { AdmissionRequest, AdmissionState } from '../api'
import {
  actionsFor,
  admittedOverGate,
  applicantOf,
  applicantUnits,
  applicationFrom,
  communitiesUnder,
  communityCount,
  communityLists,
  decisionFrom,
  emptyApplicationForm,
  isOverride,
  placeGroups,
  refusalReasons,
  timeline,
  today,
} from './admission'
import { list, sampleTree } from './fixtures'

function request(state: AdmissionState, extra: Partial<AdmissionRequest> = {}): AdmissionRequest {
  return { id: 7, community: 4, item_name: '协助开展人口普查', reason: '法定任务', applied_on: '2026-11-01', state, ...extra }
}

describe('admission actions allowed per state', () => {
  it('follows 申请 → 审核中 → 准入/驳回, 准入 → 撤销, and nothing after 驳回 or 撤销', () => {
    const moves = (state: AdmissionState) => actionsFor(state).map((a) => `${a.label}→${a.to}`)
    expect(moves('申请')).toEqual(['提交审核→审核中'])
    expect(moves('审核中')).toEqual(['准入→准入', '驳回→驳回'])
    expect(moves('准入')).toEqual(['撤销→撤销'])
    expect(moves('驳回')).toEqual([])
    expect(moves('撤销')).toEqual([])
  })

  it('asks for an opinion to reject and a reason to revoke, not to admit', () => {
    const [admit, reject] = actionsFor('审核中')
    const [revoke] = actionsFor('准入')
    const form = { date: '2026-11-20', opinion: '  ', docNo: '' }
    expect(decisionFrom(7, admit!, form)).toEqual({
      ok: true,
      value: { request: 7, to: '准入', date: '2026-11-20', opinion: null, doc_no: null },
    })
    expect(decisionFrom(7, reject!, form)).toEqual({ ok: false, message: '请填写审核意见' })
    expect(decisionFrom(7, revoke!, form)).toEqual({ ok: false, message: '请填写撤销理由' })
    expect(decisionFrom(7, revoke!, { ...form, opinion: '工作已完成', docNo: ' 青编〔2026〕9号 ' })).toEqual({
      ok: true,
      value: { request: 7, to: '撤销', date: '2026-11-20', opinion: '工作已完成', doc_no: '青编〔2026〕9号' },
    })
    expect(decisionFrom(7, admit!, { ...form, date: '' })).toEqual({ ok: false, message: '请选择日期' })
  })
})

describe('the application form', () => {
  it('needs an applicant, a name, a reason and a date; numbers must be numbers', () => {
    const form = emptyApplicationForm('2026-11-23')
    expect(applicationFrom(form)).toEqual({ ok: false, message: '请选择申请准入的社区或街道' })
    form.places = [4]
    expect(applicationFrom(form)).toEqual({ ok: false, message: '请选择或填写申请单位' })
    form.applicantText = '区民政局'
    expect(applicationFrom(form)).toEqual({ ok: false, message: '请填写事项名称' })
    form.itemName = ' 协助开展人口普查 '
    expect(applicationFrom(form)).toEqual({ ok: false, message: '请填写申请理由' })
    form.reason = '统计法规定'
    form.fundingAmount = '两万'
    expect(applicationFrom(form)).toEqual({ ok: false, message: '经费须填写数字（万元/年）' })
    form.fundingAmount = '2.5'
    form.staffCount = '1.5'
    expect(applicationFrom(form)).toEqual({ ok: false, message: '人员须填写整数' })
    form.staffCount = '2'
    form.fundingSource = '区财政'
    const checked = applicationFrom(form)
    expect(checked).toEqual({
      ok: true,
      value: {
        community: 4,
        applicant_unit: null,
        applicant_unit_text: '区民政局',
        item_name: '协助开展人口普查',
        content: null,
        reason: '统计法规定',
        basis: null,
        funding: { amount_wan: 2.5, source: '区财政' },
        staff: { count: 2, note: null },
        applied_on: '2026-11-23',
      },
    })
  })

  it('accepts a known unit without text', () => {
    const form = { ...emptyApplicationForm('2026-11-23', [4]), applicantUnit: 12, itemName: '甲', reason: '乙' }
    const checked = applicationFrom(form)
    expect(checked.ok && checked.value.applicant_unit).toBe(12)
  })

  it('sends further places as more_places and the planned start, which may not come before applying', () => {
    const form = { ...emptyApplicationForm('2026-11-23', [4, 3]), applicantText: '区民政局', itemName: '甲', reason: '乙' }
    form.plannedStart = '2026-11-20'
    expect(applicationFrom(form)).toEqual({ ok: false, message: '计划开始日期 2026-11-20 早于申请日期 2026-11-23' })
    form.plannedStart = '2027-01-04'
    const checked = applicationFrom(form)
    expect(checked.ok && [checked.value.community, checked.value.more_places, checked.value.planned_start]).toEqual([4, [3], '2027-01-04'])
    const cleared = applicationFrom({ ...form, places: [4], plannedStart: null as unknown as string })
    expect(cleared.ok && ['more_places' in cleared.value, 'planned_start' in cleared.value]).toEqual([false, false])
  })

  it('offers streets as all their communities, and counts the communities chosen once', () => {
    const tree = sampleTree()
    expect(placeGroups(tree).map((g) => [g.label, g.options.map((o) => o.label)])).toEqual([
      ['东门街道', ['东门街道全部社区（1 个）', '东门社区']],
      ['青山镇', ['青山镇全部社区（1 个）', '石桥村']],
    ])
    expect(communityCount(tree, [2, 4])).toBe(1)
    expect(communityCount(tree, [2, 3])).toBe(2)
    expect(communityCount(tree, [])).toBe(0)
  })

  it('dates today locally as YYYY-MM-DD', () => {
    expect(today(new Date(2026, 0, 5))).toBe('2026-01-05')
  })
})

describe('the gate at 准入', () => {
  it('lists the reasons the backend gives, and keeps a message without them whole', () => {
    const message =
      '不能准入“代办居民证明：临时”：“代办居民证明：临时”属于临江社区负面清单事项“出具居住证明”，不得由社区承担；协助政府工作事项“代办居民证明：临时”未落实经费和人员。如确需准入，须写明仍予准入的理由（将记入办理记录；命令行用 --override-reason）'
    const reasons = [
      '“代办居民证明：临时”属于临江社区负面清单事项“出具居住证明”，不得由社区承担',
      '协助政府工作事项“代办居民证明：临时”未落实经费和人员',
    ]
    // The backend lists the objections; the message is not read apart.
    expect(refusalReasons({ message, reasons })).toEqual(reasons)
    expect(refusalReasons({ message: '数据库忙' })).toEqual(['数据库忙'])
    expect(refusalReasons({ message: '不能准入“乙”：负面清单。如确需准入，须写明理由（命令行用 --override-reason）' })).toEqual([
      '不能准入“乙”：负面清单',
    ])
  })

  it('asks for the reason to admit anyway only after a refusal, and sends it as override_reason', () => {
    const [admit] = actionsFor('审核中')
    const form = { date: '2026-11-20', opinion: '', docNo: '' }
    expect(decisionFrom(7, admit!, form, '  ')).toEqual({ ok: false, message: '请写明仍予准入的理由（将记入办理过程）' })
    const checked = decisionFrom(7, admit!, form, ' 区委编办主任会议同意 ')
    expect(checked.ok && checked.value.override_reason).toBe('区委编办主任会议同意')
    const plain = decisionFrom(7, admit!, form)
    expect(plain.ok && 'override_reason' in plain.value).toBe(false)
  })

  it('tells an overriding 准入 in the history', () => {
    expect(isOverride({ state: '准入', note: '准入审查意见：甲；仍予准入的理由：乙' })).toBe(true)
    expect(isOverride({ state: '准入', note: '同意' })).toBe(false)
    expect(isOverride({ state: '驳回', note: '仍予准入的理由' })).toBe(false)
    const over = request('准入', { history: [{ state: '准入', date: '2026-11-10', note: '准入审查意见：甲；仍予准入的理由：乙' }] })
    expect(admittedOverGate(over)).toBe(true)
    expect(admittedOverGate({ ...over, state: '撤销' })).toBe(false)
    expect(admittedOverGate(request('准入', { history: [{ state: '准入', date: '2026-11-10', note: '同意' }] }))).toBe(false)
  })
})

describe('requests and lists shown', () => {
  it('shows the history oldest first, or the application alone', () => {
    expect(timeline(request('申请'))).toEqual([{ state: '申请', date: '2026-11-01', who: '', note: '' }])
    const steps = timeline(
      request('准入', {
        history: [
          { state: '申请', date: '2026-11-01', actor: '李' },
          { state: '审核中', date: '2026-11-02' },
          { state: '准入', date: '2026-11-10', note: '同意' },
        ],
      }),
    )
    expect(steps.map((s) => `${s.state} ${s.date} ${s.who} ${s.note}`.trim())).toEqual([
      '申请 2026-11-01 李',
      '审核中 2026-11-02',
      '准入 2026-11-10  同意',
    ])
  })

  it('names the applicant by unit, else as written', () => {
    const names = new Map([[3, '区民政局']])
    expect(applicantOf(request('申请', { applicant_unit: 3, applicant_unit_text: '民政' }), names)).toBe('区民政局')
    expect(applicantOf(request('申请', { applicant_unit_text: '区统计局' }), names)).toBe('区统计局')
    expect(applicantOf(request('申请'), names)).toBe('（未填写）')
  })

  it('finds the communities at or below a node', () => {
    const tree = sampleTree()
    expect(communitiesUnder(tree, 1).map((c) => c.name)).toEqual(['东门社区', '石桥村'])
    expect(communitiesUnder(tree, 3).map((c) => c.name)).toEqual(['石桥村'])
    expect(communitiesUnder(tree, 4).map((c) => c.name)).toEqual(['东门社区'])
    expect(communitiesUnder(tree, null).map((c) => c.name)).toEqual(['东门社区', '石桥村'])
  })

  it('gives the four lists of a community in order, null where missing', () => {
    const lists = [
      list(20, 4, { kind: '证明事项' }),
      list(21, 4, { kind: '依法履职' }),
      list(22, 5, { kind: '协助政府' }),
      list(23, 4, { kind: '协助政府', unit: 9 }),
    ]
    expect(communityLists(lists, 4).map((e) => [e.kind, e.list?.id ?? null])).toEqual([
      ['依法履职', 21],
      ['协助政府', null],
      ['负面清单', null],
      ['证明事项', 20],
    ])
  })

  it('offers the district’s units as applicants, by name', () => {
    const lists = [
      list(1, 1, { unit: 5, unit_name: '区民政局', level: '区' }),
      list(2, 1, { unit: 6, unit_name: '区财政局', level: '区' }),
      list(3, 2, { unit: 7, unit_name: '党政办', level: '街道' }),
      list(4, 1, { unit: 5, unit_name: '区民政局', level: '区' }),
    ]
    expect(applicantUnits(sampleTree(), lists, 4)).toEqual([
      { id: 6, name: '区财政局' },
      { id: 5, name: '区民政局' },
    ].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN')))
  })
})
