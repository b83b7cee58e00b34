import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import type { AdmissionRequest, ItemPage, Overview } from '../api'
import { list, node } from '../lib/fixtures'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...args: unknown[]) => invoke(...args) }))
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
      wrapper.findAll(`[data-request="${id}"]`).filter((b) => b.element.tagName === 'BUTTON').map((b) => b.text())
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
})
