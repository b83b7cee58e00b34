import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import type { AdmissionApplication, AdmissionRequest, ItemPage, Overview, PendingAdmission } from '../api'
import { list, node } from '../lib/fixtures'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...args: unknown[]) => invoke(...args) }))
const save = vi.fn()
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: vi.fn(), save: (...args: unknown[]) => save(...args) }))
const { default: AdmissionScreen } = await import('./AdmissionScreen.vue')

const hostile = '<img src=x onerror="window.pwned=1">协助开展人口普查'

const overview: Overview = {
  database_path: '/tmp/q.db', read_only: false,
  empty: false,
  item_count: 1,
  tree: [node(1, '青川区', '区', [node(2, '临江街道', '街道', [node(4, '临江社区', '社区', [], 1)])])],
  lists: [
    list(10, 1, { unit: 7, unit_name: '青川区民政局', level: '区' }),
    list(11, 4, { kind: '协助政府', name: '临江社区协助政府工作事项清单', level: '社区', items: 1 }),
  ],
}

function request(id: number, state: AdmissionRequest['state']): AdmissionRequest {
  return { id, community: 4, applicant_unit: 7, item_name: hostile, reason: '法定', applied_on: '2026-11-01', state }
}

function answer(requests: AdmissionRequest[]) {
  invoke.mockImplementation((command: string, args: Record<string, unknown>) => {
    if (command === 'admission_requests') return Promise.resolve(requests)
    if (command === 'list_items') {
      const page: ItemPage = { list: overview.lists[1]!, total: 1, offset: 0, items: [{ id: 50, name: '协助做好低保入户调查' }], unit_names: {} }
      return Promise.resolve(page)
    }
    if (command === 'pending_admissions') return Promise.resolve([])
    if (command === 'decide_admission') {
      const decision = args.decision as { request: number; to: AdmissionRequest['state'] }
      return Promise.resolve({ request: request(decision.request, decision.to), item: null })
    }
    return Promise.reject({ code: 'internal', message: `unexpected ${command}` })
  })
}

describe('AdmissionScreen', () => {
  it('offers only the moves a state allows, shows names as text, and refuses a rejection without an opinion at the form', async () => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    answer([request(1, '审核中'), request(2, '撤销'), request(3, '申请')])
    const wrapper = mount(AdmissionScreen, {
      props: { overview, node: 2 },
      global: { plugins: [ElementPlus] },
      attachTo: document.body,
    })
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('admission_requests', { community: 4 })
    const buttons = (id: number) =>
      wrapper.findAll(`[data-request="${id}"][data-testid^="admission-action-"]`).filter((b) => b.element.tagName === 'BUTTON').map((b) => b.text())
    expect(buttons(1)).toEqual(['准入…', '驳回…'])
    expect(buttons(2)).toEqual([])
    expect(buttons(3)).toEqual(['提交审核…'])
    expect(wrapper.text()).toContain('青川区民政局')
    expect(wrapper.text()).toContain(hostile)
    expect(document.querySelector('img')).toBeNull()
    expect(wrapper.find('[data-testid="community-list-协助政府"]').text()).toContain('协助做好低保入户调查')

    await wrapper.find('[data-testid="admission-action-驳回"][data-request="1"]').trigger('click')
    await flushPromises()
    const submit = document.querySelector<HTMLButtonElement>('[data-testid=admission-decision-submit]')!
    submit.click()
    await flushPromises()
    expect(document.querySelector('[data-testid=admission-decision-error]')?.textContent).toContain('请填写审核意见')
    expect(invoke).not.toHaveBeenCalledWith('decide_admission', expect.anything())

    const opinion = document.querySelector<HTMLTextAreaElement>('textarea[data-testid=admission-opinion]')!
    opinion.value = '不属于社区职责'
    opinion.dispatchEvent(new Event('input'))
    await flushPromises()
    submit.click()
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('decide_admission', {
      decision: expect.objectContaining({ request: 1, to: '驳回', opinion: '不属于社区职责', doc_no: null }),
    })
    expect(wrapper.emitted('changed')).toHaveLength(1)
    wrapper.unmount()
    delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__
  })

  // Issue 19: another user's change (counted in othersChanges) has the community's requests read again.
  it("reads the requests again when another user's change arrives", async () => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    invoke.mockReset()
    answer([request(1, '申请')])
    const wrapper = mount(AdmissionScreen, { props: { overview, node: 2, othersChanges: 0 }, global: { plugins: [ElementPlus] } })
    await flushPromises()
    const rows = () => wrapper.findAll('[data-testid^="admission-action-"]').map((b) => b.attributes('data-request'))
    expect(new Set(rows())).toEqual(new Set(['1']))
    answer([request(1, '申请'), request(2, '审核中')])
    await wrapper.setProps({ othersChanges: 1 })
    await flushPromises()
    expect(new Set(rows())).toEqual(new Set(['1', '2']))
    wrapper.unmount()
    delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__
  })
})

// Two streets: 临江街道 (临江社区) and 滨河街道 (滨河社区, 滨河东社区).
const twoStreets: Overview = {
  ...overview,
  tree: [
    node(1, '青川区', '区', [
      node(2, '临江街道', '街道', [node(4, '临江社区', '社区', [], 1)]),
      node(3, '滨河街道', '街道', [node(5, '滨河社区', '社区'), node(6, '滨河东社区', '社区')]),
    ]),
  ],
}

/** The refusal at 准入 as the backend sends it: the message, and its reasons listed. */
const refusal = {
  code: 'admission_refused',
  message:
    '不能准入“代开居住证明”：“代开居住证明”属于临江社区负面清单事项“出具居住证明”，不得由社区承担；协助政府工作事项“代开居住证明”未落实经费和人员。如确需准入，须写明仍予准入的理由（将记入办理记录；命令行用 --override-reason）',
  reasons: ['“代开居住证明”属于临江社区负面清单事项“出具居住证明”，不得由社区承担', '协助政府工作事项“代开居住证明”未落实经费和人员'],
}

function pendingRow(id: number, community: number, name: string, deadline: string, overdue: number): PendingAdmission {
  return {
    id,
    community: name,
    community_id: community,
    street: community === 4 ? '临江街道' : '滨河街道',
    item_name: `事项${id}`,
    applicant: '青川区民政局',
    state: '审核中',
    applied_on: '2026-10-09',
    planned_start: null,
    decision_deadline: deadline,
    overdue_working_days: overdue,
    late_application: false,
    batch: null,
  }
}

type Answer = (command: string, args: Record<string, unknown>) => unknown
function mountScreen(answers: Answer, props: { overview: Overview; node: number | null } = { overview: twoStreets, node: 2 }) {
  ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
  invoke.mockReset()
  invoke.mockImplementation(async (command: string, args: Record<string, unknown>) => {
    const answered = await answers(command, args)
    if (answered !== undefined) return answered
    if (command === 'admission_requests') return []
    if (command === 'pending_admissions') return []
    if (command === 'list_items') {
      const page: ItemPage = { list: overview.lists[1]!, total: 0, offset: 0, items: [], unit_names: {} }
      return page
    }
    throw { code: 'internal', message: `unexpected ${command}` }
  })
  return mount(AdmissionScreen, { props, global: { plugins: [ElementPlus] }, attachTo: document.body })
}

function done(wrapper: { unmount: () => void }) {
  wrapper.unmount()
  document.body.innerHTML = ''
  delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__
}

function type(selector: string, text: string) {
  const input = document.querySelector<HTMLInputElement | HTMLTextAreaElement>(selector)
  if (!input) throw new Error(`no ${selector}`)
  input.value = text
  input.dispatchEvent(new Event('input'))
}

const click = (selector: string) => {
  const el = document.querySelector<HTMLElement>(selector)
  if (!el) throw new Error(`no ${selector}`)
  el.click()
}

describe('AdmissionScreen: the gate at 准入', () => {
  it('shows every reason of a refusal, asks for the reason to admit anyway, sends it as override_reason and shows the override in the history', async () => {
    const underReview: AdmissionRequest = { id: 8, community: 4, item_name: '代开居住证明', reason: '便民', applied_on: '2026-11-02', state: '审核中' }
    const admitted: AdmissionRequest = {
      ...underReview,
      state: '准入',
      history: [
        { state: '申请', date: '2026-11-02' },
        { state: '审核中', date: '2026-11-03' },
        {
          state: '准入',
          date: '2026-11-10',
          note: '准入审查意见：“代开居住证明”属于临江社区负面清单事项“出具居住证明”，不得由社区承担；仍予准入的理由：区委编办主任会议研究同意',
        },
      ],
    }
    let current = underReview
    const wrapper = mountScreen(async (command, args) => {
      if (command === 'admission_requests') return [current]
      if (command === 'decide_admission') {
        const decision = args.decision as { override_reason?: string }
        if (!decision.override_reason) throw refusal
        current = admitted
        return { request: admitted, item: { id: 60, name: '代开居住证明' }, overridden: ['负面清单'] }
      }
      return undefined
    })
    await flushPromises()
    await wrapper.find('[data-testid="admission-action-准入"][data-request="8"]').trigger('click')
    await flushPromises()
    click('[data-testid=admission-decision-submit]')
    await flushPromises()
    const reasons = [...document.querySelectorAll('[data-testid=admission-refusal-reason]')].map((e) => e.textContent?.trim())
    expect(reasons).toEqual([
      '“代开居住证明”属于临江社区负面清单事项“出具居住证明”，不得由社区承担',
      '协助政府工作事项“代开居住证明”未落实经费和人员',
    ])
    // Not the raw message with the command line's advice, and no plain 确定准入 any more.
    expect(document.querySelector('[data-testid=admission-decision-error]')).toBeNull()
    expect(document.body.textContent).not.toContain('--override-reason')
    expect(document.querySelector('[data-testid=admission-decision-submit]')).toBeNull()

    click('[data-testid=admission-override-submit]')
    await flushPromises()
    expect(document.querySelector('[data-testid=admission-decision-error]')?.textContent).toContain('请写明仍予准入的理由')
    expect(invoke.mock.calls.filter(([c]) => c === 'decide_admission')).toHaveLength(1)

    type('textarea[data-testid=admission-override-reason]', '区委编办主任会议研究同意')
    await flushPromises()
    click('[data-testid=admission-override-submit]')
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('decide_admission', {
      decision: expect.objectContaining({ request: 8, to: '准入', override_reason: '区委编办主任会议研究同意' }),
    })
    expect(wrapper.emitted('changed')).toHaveLength(1)
    expect(document.querySelector('[data-testid=admission-refusal]')).toBeNull()
    expect(wrapper.find('[data-testid=admission-over-gate][data-request="8"]').text()).toBe('未通过审查')

    await wrapper.find('[data-testid=admission-request-name][data-request="8"]').trigger('click')
    await flushPromises()
    const history = document.querySelector('[data-testid=admission-timeline]')!.textContent!
    expect(history).toContain('仍予准入的理由：区委编办主任会议研究同意')
    expect(document.querySelector('[data-testid=admission-override-step]')?.textContent).toContain('未通过准入审查，仍予准入')
    done(wrapper)
  })

  it('offers 改为驳回 after a refusal, with its reasons as the opinion', async () => {
    const wrapper = mountScreen(async (command, args) => {
      if (command === 'admission_requests') return [{ id: 8, community: 4, item_name: '代开居住证明', reason: '便民', applied_on: '2026-11-02', state: '审核中' }]
      if (command === 'decide_admission') {
        const decision = args.decision as { request: number; to: AdmissionRequest['state'] }
        if (decision.to === '准入') throw refusal
        return { request: { id: 8, community: 4, item_name: '代开居住证明', reason: '便民', applied_on: '2026-11-02', state: decision.to }, item: null }
      }
      return undefined
    })
    await flushPromises()
    await wrapper.find('[data-testid="admission-action-准入"][data-request="8"]').trigger('click')
    await flushPromises()
    click('[data-testid=admission-decision-submit]')
    await flushPromises()
    click('[data-testid=admission-reject-instead]')
    await flushPromises()
    expect(document.querySelector('[data-testid=admission-refusal]')).toBeNull()
    const opinion = document.querySelector<HTMLTextAreaElement>('textarea[data-testid=admission-opinion]')!.value
    expect(opinion).toBe(
      '未通过准入审查：“代开居住证明”属于临江社区负面清单事项“出具居住证明”，不得由社区承担；协助政府工作事项“代开居住证明”未落实经费和人员',
    )
    expect(document.querySelector('[data-testid=admission-decision-submit]')?.textContent).toContain('确定驳回')
    click('[data-testid=admission-decision-submit]')
    await flushPromises()
    const calls = invoke.mock.calls.filter(([c]) => c === 'decide_admission').map(([, a]) => (a as { decision: Record<string, unknown> }).decision)
    expect(calls.map((d) => d.to)).toEqual(['准入', '驳回'])
    expect(calls[1]).toMatchObject({ request: 8, opinion })
    expect('override_reason' in calls[1]!).toBe(false)
    expect(wrapper.emitted('changed')).toHaveLength(1)
    done(wrapper)
  })

  it('shows another failure at 准入 as it is, without the override', async () => {
    const wrapper = mountScreen(async (command) => {
      if (command === 'admission_requests') return [{ id: 8, community: 4, item_name: '甲', reason: '乙', applied_on: '2026-11-02', state: '审核中' }]
      if (command === 'decide_admission') throw { code: 'invalid_input', message: '日期 2026-11-01 早于上一步的日期 2026-11-02' }
      return undefined
    })
    await flushPromises()
    await wrapper.find('[data-testid="admission-action-准入"][data-request="8"]').trigger('click')
    await flushPromises()
    click('[data-testid=admission-decision-submit]')
    await flushPromises()
    expect(document.querySelector('[data-testid=admission-decision-error]')?.textContent).toContain('早于上一步的日期')
    expect(document.querySelector('[data-testid=admission-refusal]')).toBeNull()
    expect(document.querySelector('[data-testid=admission-override-submit]')).toBeNull()
    done(wrapper)
  })
})

describe('AdmissionScreen: the application', () => {
  it('applies for several places with a planned start, and shows the decision deadline and the late warning', async () => {
    let sent: AdmissionApplication | null = null
    const made = (id: number, community: number): AdmissionRequest => ({
      id, community, item_name: '协助开展人口普查', reason: '统计法', applied_on: '2026-11-23', state: '申请',
      planned_start: '2026-12-01', decision_deadline: '2026-12-14', batch: '0193b9f0-0000-7000-8000-000000000001',
    })
    const wrapper = mountScreen(async (command, args) => {
      if (command === 'apply_for_admissions') {
        sent = args.application as AdmissionApplication
        return {
          requests: [made(11, 4), made(12, 5), made(13, 6)],
          warnings: ['申请日期 2026-11-23 距计划开始日期 2026-12-01 只有 6 个工作日，不足 30 个工作日：已受理，检查时将提示'],
        }
      }
      return undefined
    })
    await flushPromises()
    await wrapper.find('[data-testid=admission-new]').trigger('click')
    await flushPromises()
    // The community shown is chosen already; 滨河街道 stands for both of its communities.
    click('[data-testid=admission-place-3]')
    await flushPromises()
    expect(document.querySelector('[data-testid=admission-places-count]')?.textContent).toContain('共 3 个社区')
    type('input[data-testid=admission-unit-text]', '青川区统计局')
    type('input[data-testid=admission-item-name]', '协助开展人口普查')
    type('textarea[data-testid=admission-reason]', '统计法')
    type('input[aria-label=计划开始日期]', '2099-12-01')
    document.querySelector('input[aria-label=计划开始日期]')!.dispatchEvent(new Event('change'))
    await flushPromises()
    click('[data-testid=admission-submit]')
    await flushPromises()
    expect(sent).toMatchObject({ community: 4, more_places: [3], planned_start: '2099-12-01', item_name: '协助开展人口普查' })
    const banner = document.querySelector('[data-testid=admission-applied]')!
    expect(banner.textContent).toContain('已登记 3 个准入申请（临江社区、滨河社区、滨河东社区）')
    expect(document.querySelector('[data-testid=admission-applied-deadline]')?.textContent).toBe('2026-12-14')
    expect(document.querySelector('[data-testid=admission-applied-warning]')?.textContent).toContain('不足 30 个工作日')
    expect(invoke.mock.calls.filter(([c]) => c === 'pending_admissions')).toHaveLength(2)
    expect(wrapper.emitted('changed')).toHaveLength(1)
    done(wrapper)
  })
})

describe('AdmissionScreen: 待办', () => {
  it('lists the open requests of every community, overdue ones marked, sorts by deadline, and opens one in its community', async () => {
    const rows = [pendingRow(21, 5, '滨河社区', '2026-11-20', 4), pendingRow(22, 4, '临江社区', '2026-12-10', 0)]
    const wrapper = mountScreen(async (command, args) => {
      if (command === 'pending_admissions') return rows
      if (command === 'admission_requests' && args.community === 5) {
        return [{ id: 21, community: 5, item_name: '事项21', reason: '乙', applied_on: '2026-10-09', state: '审核中', decision_deadline: '2026-11-20' }]
      }
      return undefined
    })
    await flushPromises()
    expect(wrapper.find('[data-testid=admission-mode-pending]').text()).toContain('待办 2')
    expect(wrapper.find('[data-testid=admission-overdue-count]').text()).toContain('超期 1')
    await wrapper.find('[data-testid=admission-mode-pending] input').setValue(true)
    await flushPromises()
    const order = () => wrapper.findAll('[data-testid=admission-pending-deadline]').map((e) => e.text())
    expect(order()).toEqual(['2026-11-20', '2026-12-10'])
    const overdue = wrapper.find('[data-testid=admission-pending-overdue][data-request="21"]')
    expect(overdue.text()).toContain('超期 4 个工作日')
    expect(overdue.element.closest('tr')?.classList.contains('overdue')).toBe(true)
    expect(wrapper.find('[data-testid=admission-pending-overdue][data-request="22"]').exists()).toBe(false)
    // The deadline's header sorts (ascending, descending).
    const deadlineHeader = wrapper.findAll('th').find((th) => th.text().includes('决定期限'))!
    await deadlineHeader.find('.descending').trigger('click')
    expect(order()).toEqual(['2026-12-10', '2026-11-20'])

    expect(wrapper.find('[data-testid=admission-pending-summary]').text()).toContain('2 项，其中超过决定期限 1 项')
    await wrapper.find('[data-testid=admission-pending-only-overdue] input').setValue(true)
    expect(order()).toEqual(['2026-11-20'])
    await wrapper.find('[data-testid=admission-pending-only-overdue] input').setValue(false)
    expect(order()).toHaveLength(2)

    // 滨河社区 is not under 临江街道 (the node chosen): it opens all the same, with the request shown.
    await wrapper.find('[data-testid=admission-pending-open][data-request="21"]').trigger('click')
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('admission_requests', { community: 5 })
    expect(wrapper.find('[data-testid=admission-requests]').text()).toContain('事项21')
    expect(wrapper.find('[data-testid=admission-overdue][data-request="21"]').text()).toContain('超期4个工作日')
    expect(document.querySelector('[data-testid=admission-details]')?.textContent).toContain('滨河社区')
    expect(document.querySelector('[data-testid=admission-details-overdue]')?.textContent).toContain('已超期 4 个工作日')
    done(wrapper)
  })
})

describe('AdmissionScreen: 打印审批表…', () => {
  it('writes the 审批表 where the save dialog says and offers to open it', async () => {
    save.mockReset()
    save.mockResolvedValue('/home/clerk/审批表.pdf')
    const wrapper = mountScreen(async (command, args) => {
      if (command === 'admission_requests') return [{ id: 9, community: 4, item_name: '协助开展人口普查', reason: '统计法', applied_on: '2026-11-02', state: '申请' }]
      if (command === 'write_admission_form') return args.path
      if (command === 'open_written_file') return null
      return undefined
    })
    await flushPromises()
    await wrapper.find('[data-testid=admission-request-name][data-request="9"]').trigger('click')
    await flushPromises()
    click('[data-testid=admission-form-pdf]')
    await flushPromises()
    click('[data-testid=admission-form-choose]')
    await flushPromises()
    expect(save).toHaveBeenCalledWith(
      expect.objectContaining({ title: '保存准入审批表', defaultPath: '/tmp/社区工作事项准入审批表-临江社区-协助开展人口普查.pdf' }),
    )
    expect(document.querySelector<HTMLInputElement>('input[data-testid=admission-form-path]')?.value).toBe('/home/clerk/审批表.pdf')
    expect(invoke.mock.calls.some(([c]) => c === 'write_admission_form')).toBe(false)
    click('[data-testid=admission-form-write]')
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('write_admission_form', { request: 9, path: '/home/clerk/审批表.pdf' })
    expect(document.querySelector('[data-testid=admission-form-written]')?.textContent).toContain('/home/clerk/审批表.pdf')
    click('[data-testid=written-open]')
    await flushPromises()
    expect(invoke).toHaveBeenLastCalledWith('open_written_file', { path: '/home/clerk/审批表.pdf', folder: false })
    done(wrapper)
  })

  it('keeps the path when the save dialog is cancelled, writes a typed one, and shows a failure where the user clicked', async () => {
    save.mockReset()
    save.mockResolvedValue(null)
    const wrapper = mountScreen(async (command) => {
      if (command === 'admission_requests') return [{ id: 9, community: 4, item_name: '甲', reason: '乙', applied_on: '2026-11-02', state: '申请' }]
      if (command === 'write_admission_form') throw { code: 'io', message: '不能写入 /root/x.pdf：权限不够' }
      return undefined
    })
    await flushPromises()
    await wrapper.find('[data-testid=admission-request-name][data-request="9"]').trigger('click')
    await flushPromises()
    click('[data-testid=admission-form-pdf]')
    await flushPromises()
    type('input[data-testid=admission-form-path]', '/root/x.pdf')
    click('[data-testid=admission-form-choose]')
    await flushPromises()
    expect(document.querySelector<HTMLInputElement>('input[data-testid=admission-form-path]')?.value).toBe('/root/x.pdf')
    click('[data-testid=admission-form-write]')
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('write_admission_form', { request: 9, path: '/root/x.pdf' })
    expect(document.querySelector('[data-testid=admission-form-pdf-error]')?.textContent).toContain('权限不够')
    expect(document.querySelector('[data-testid=admission-form-written]')).toBeNull()
    done(wrapper)
  })
})

describe('AdmissionScreen: a request of a batch', () => {
  it('names the other communities the same application was made for, with their states', async () => {
    const batch = '0193b9f0-0000-7000-8000-00000000000b'
    const of = (id: number, community: number, state: AdmissionRequest['state']): AdmissionRequest => ({
      id, community, item_name: '协助开展人口普查', reason: '统计法', applied_on: '2026-11-02', state, batch,
    })
    const wrapper = mountScreen(async (command, args) => {
      if (command === 'admission_requests' && args.community === 4) return [of(31, 4, '申请')]
      if (command === 'admission_requests' && args.community === null) {
        return [of(31, 4, '申请'), of(32, 5, '准入'), of(33, 6, '驳回'), { ...of(34, 6, '申请'), batch: null }]
      }
      return undefined
    })
    await flushPromises()
    await wrapper.find('[data-testid=admission-request-name][data-request="31"]').trigger('click')
    await flushPromises()
    expect(document.querySelector('[data-testid=admission-batch]')?.textContent?.replace(/\s+/gu, ' ').trim()).toBe(
      '同批共 3 个社区；另有 滨河社区（准入）、滨河东社区（驳回）',
    )
    done(wrapper)
  })
})
