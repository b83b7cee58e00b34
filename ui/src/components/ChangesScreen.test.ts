import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus, { ElSelect } from 'element-plus'
import type { ChangeRequest, ItemPage, Overview } from '../api'
import { list, node } from '../lib/fixtures'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...args: unknown[]) => invoke(...args) }))
const { default: ChangesScreen } = await import('./ChangesScreen.vue')

const hostile = '<img src=x onerror="window.pwned=1">食品经营许可'

const district = list(10, 1, { name: '权责清单', unit: 7, unit_name: '区市场监管局', jurisdiction_name: '青川区', items: 2 })
const street = list(20, 2, { name: '青溪街道权责清单', level: '街道', jurisdiction_name: '青溪街道', items: 1 })
const overview: Overview = {
  database_path: '/tmp/q.db',
  read_only: false,
  empty: false,
  item_count: 3,
  tree: [node(1, '青川区', '区', [node(2, '青溪街道', '街道')])],
  lists: [district, street],
}

function request(id: number, extra: Partial<ChangeRequest>): ChangeRequest {
  return { id, list: 10, action: '变更', item: 50, item_label: hostile, reason: '依据修订', proposed_on: '2026-12-01', state: '申请', ...extra }
}

const requests: ChangeRequest[] = [
  request(1, { state: '审核中', settings: [{ field: '实施依据', value: '《新条例》' }] }),
  request(2, { action: '收回', list: 20, item: 60, item_label: '占道经营处罚', to_list: 10, to_unit: 7, state: '申请' }),
  request(3, { action: '取消', item: 51, item_label: '旧事项', state: '退回', opinion: '依据不足' }),
]

const approved: ChangeRequest = {
  ...requests[0]!,
  state: '同意',
  reviewer: '张三',
  applied: [{ field: '实施依据', before: '《旧条例》', after: '《新条例》' }],
  history: [
    { state: '申请', date: '2026-12-01', actor: '李四' },
    { state: '审核中', date: '2026-12-02', actor: '张三' },
    { state: '同意', date: '2026-12-05', actor: '张三' },
  ],
}

function answer() {
  invoke.mockReset()
  invoke.mockImplementation((command: string, args: Record<string, unknown>) => {
    if (command === 'change_requests') return Promise.resolve(requests)
    if (command === 'list_items') {
      const page: ItemPage = {
        list: district,
        total: 2,
        offset: 0,
        items: [
          { id: 50, name: hostile, basis: '《旧条例》' },
          { id: 51, name: '旧事项' },
        ],
        unit_names: {},
      }
      return Promise.resolve(page)
    }
    if (command === 'propose_change') return Promise.resolve(request(9, { state: '申请' }))
    if (command === 'review_change') {
      const review = args.review as { request: number; to: ChangeRequest['state'] }
      if (review.to === '同意') return Promise.resolve(approved)
      return Promise.resolve({ ...requests.find((r) => r.id === review.request)!, state: review.to })
    }
    return Promise.reject({ code: 'internal', message: `unexpected ${command}` })
  })
}

function mountScreen(propose: { item: number | null } | null = null) {
  ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
  answer()
  return mount(ChangesScreen, {
    props: { overview, list: district, propose },
    global: { plugins: [ElementPlus] },
    attachTo: document.body,
  })
}

const inBody = <T extends Element = HTMLElement>(selector: string) => document.querySelector<T>(selector)

function type(selector: string, value: string) {
  const input = inBody<HTMLInputElement | HTMLTextAreaElement>(selector)!
  input.value = value
  input.dispatchEvent(new Event('input'))
}

describe('ChangesScreen', () => {
  it("lists the list's requests, a transfer from the receiving side, only the moves each state allows, text as text", async () => {
    const screen = mountScreen()
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('change_requests', { list: 10, state: null })
    const buttons = (id: number) =>
      screen.findAll(`button[data-testid^=change-review-][data-request="${id}"]`).map((b) => b.text())
    expect(buttons(1)).toEqual(['同意…', '退回…'])
    expect(buttons(2)).toEqual(['提交审核…'])
    expect(buttons(3)).toEqual([])
    expect(screen.find('[data-testid=change-place][data-request="2"]').text()).toBe('自 青溪街道 · 青溪街道权责清单 转入')
    expect(screen.find('[data-testid=change-place][data-request="1"]').text()).toBe('本清单')
    expect(screen.text()).toContain(hostile)
    expect(document.querySelector('img')).toBeNull()
    expect(screen.find('[data-testid=changes-what]').text()).toContain('3 个申请，2 个待审核')

    // The name is a button (reached with Tab) opening the request: fields asked for, history.
    const label = screen.find('[data-testid=change-label][data-request="1"]')
    expect(label.element.tagName).toBe('BUTTON')
    await label.trigger('click')
    await flushPromises()
    expect(inBody('[data-testid=change-settings]')?.textContent).toContain('《新条例》')
    expect(inBody('[data-testid=change-details]')?.textContent).toContain('依据修订')

    await screen.find('[data-testid="changes-state-退回"] input').setValue(true)
    await flushPromises()
    expect(screen.findAll('[data-testid=change-state]').map((t) => t.text())).toEqual(['退回'])
    await screen.find('[data-testid=changes-state-pending] input').setValue(true)
    await flushPromises()
    expect(screen.findAll('[data-testid=change-state]').map((t) => t.text())).toEqual(['审核中', '申请'])

    await screen.find('[data-testid=changes-scope-all] input').setValue(true)
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('change_requests', { list: null, state: null })
    screen.unmount()
  })

  it('opens the form for the grid row it was asked for, with the field vocabulary of the grid and the value now, and files a 变更', async () => {
    const screen = mountScreen({ item: 50 })
    await flushPromises()
    expect(screen.emitted('proposeStarted')).toHaveLength(1)
    expect(inBody('[data-testid=change-form]')).not.toBeNull()
    expect(invoke).toHaveBeenCalledWith('list_items', expect.objectContaining({ list: 10 }))
    const selects = screen.findAllComponents(ElSelect)
    const field = selects.find((s) => s.attributes('data-testid') === 'change-form-field-0')!
    field.vm.$emit('update:modelValue', 'basis')
    field.vm.$emit('change', 'basis')
    await flushPromises()
    expect(inBody('[data-testid=change-form-current-0]')?.textContent).toContain('《旧条例》')
    expect(inBody<HTMLTextAreaElement>('textarea[data-testid=change-form-value-0]')?.value).toBe('《旧条例》')

    inBody<HTMLButtonElement>('[data-testid=change-form-submit]')!.click()
    await flushPromises()
    expect(inBody('[data-testid=change-form-error]')?.textContent).toContain('请填写调整理由')
    expect(invoke).not.toHaveBeenCalledWith('propose_change', expect.anything())

    type('textarea[data-testid=change-form-value-0]', '《新条例》')
    type('textarea[data-testid=change-form-reason]', '上位法修订')
    type('input[data-testid=change-form-attachments]', '青编办〔2026〕3号')
    await flushPromises()
    inBody<HTMLButtonElement>('[data-testid=change-form-submit]')!.click()
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('propose_change', {
      proposal: expect.objectContaining({
        list: 10,
        action: '变更',
        item: 50,
        settings: [{ field: '实施依据', value: '《新条例》' }],
        reason: '上位法修订',
        attachments: ['青编办〔2026〕3号'],
        to_list: null,
      }),
    })
    expect(screen.emitted('changed')).toEqual([[[]]])
    screen.unmount()
  })

  it('wants an opinion to send a request back, and after 同意 shows what changed and names the lists to read again', async () => {
    const screen = mountScreen()
    await flushPromises()
    await screen.find('[data-testid="change-review-退回"][data-request="1"]').trigger('click')
    await flushPromises()
    inBody<HTMLButtonElement>('[data-testid=change-review-submit]')!.click()
    await flushPromises()
    expect(inBody('[data-testid=change-review-error]')?.textContent).toContain('须填写审核意见')
    expect(invoke).not.toHaveBeenCalledWith('review_change', expect.anything())
    inBody<HTMLButtonElement>('.el-dialog__footer button')!.click() // 取消
    await flushPromises()

    await screen.find('[data-testid="change-review-同意"][data-request="1"]').trigger('click')
    await flushPromises()
    expect(inBody('[data-testid=change-review-apply]')?.textContent).toContain('同意后立即按申请修改清单')
    inBody<HTMLButtonElement>('[data-testid=change-review-submit]')!.click()
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('review_change', {
      review: expect.objectContaining({ request: 1, to: '同意', opinion: null }),
    })
    expect(screen.emitted('changed')).toEqual([[[10]]])
    const applied = inBody('[data-testid=change-applied]')!
    expect(applied.textContent).toContain('实施依据')
    expect(applied.querySelector('.before')?.textContent).toBe('《旧条例》')
    expect(applied.querySelector('.after')?.textContent).toBe('《新条例》')
    expect(inBody('[data-testid=change-timeline]')?.textContent).toContain('张三')
    inBody<HTMLButtonElement>('[data-testid=change-open-item]')!.click()
    await flushPromises()
    expect(screen.emitted('openItem')).toEqual([[50]])
    screen.unmount()
  })

  it('files a 新增 with the name first and a 下放 with its receiving street list', async () => {
    const screen = mountScreen()
    await flushPromises()
    await screen.find('[data-testid=changes-new]').trigger('click')
    await flushPromises()
    // 新增 starts with 事项名称 as its first field.
    const field = () => screen.findAllComponents(ElSelect).find((s) => s.attributes('data-testid') === 'change-form-field-0')!
    expect(field().props('modelValue')).toBe('name')
    type('textarea[data-testid=change-form-value-0]', '新设事项')
    type('textarea[data-testid=change-form-reason]', '新法施行')
    await flushPromises()
    inBody<HTMLButtonElement>('[data-testid=change-form-submit]')!.click()
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('propose_change', {
      proposal: expect.objectContaining({ action: '新增', item: null, after: null, settings: [{ field: '事项名称', value: '新设事项' }] }),
    })

    await screen.find('[data-testid=changes-new]').trigger('click')
    await flushPromises()
    const actions = [...document.querySelectorAll('[data-testid=change-form-action] label')].map((l) => l.textContent?.trim())
    expect(actions).toEqual(['新增', '取消', '变更', '下放', '划转'])
    inBody<HTMLInputElement>('[data-testid="change-form-action-下放"] input')!.click()
    await flushPromises()
    expect(inBody('[data-testid=change-form-settings]')).toBeNull()
    const item = screen.findAllComponents({ name: 'ElSelectV2' }).find((s) => s.attributes('data-testid') === 'change-form-item')!
    item.vm.$emit('update:modelValue', 51)
    type('textarea[data-testid=change-form-reason]', '下放街道')
    await flushPromises()
    inBody<HTMLButtonElement>('[data-testid=change-form-submit]')!.click()
    await flushPromises()
    expect(inBody('[data-testid=change-form-error]')?.textContent).toContain('请选择接收的街道清单')
    const target = screen.findAllComponents(ElSelect).find((s) => s.attributes('data-testid') === 'change-form-target')!
    expect(target.findAllComponents({ name: 'ElOption' }).map((o) => o.props('label'))).toEqual(['青溪街道 · 青溪街道权责清单'])
    target.vm.$emit('update:modelValue', 20)
    await flushPromises()
    inBody<HTMLButtonElement>('[data-testid=change-form-submit]')!.click()
    await flushPromises()
    expect(invoke).toHaveBeenLastCalledWith('change_requests', { list: 10, state: null })
    expect(invoke).toHaveBeenCalledWith('propose_change', {
      proposal: expect.objectContaining({ action: '下放', item: 51, to_list: 20, settings: [], reason: '下放街道' }),
    })
    screen.unmount()
  })

  // Issue 19: another user filed or reviewed a request (a change counted in othersChanges):
  // the requests are read again; before, they stayed as first read until the screen reopened.
  it("reads the requests again when another user's change arrives", async () => {
    const screen = mountScreen()
    await flushPromises()
    const asked = () => invoke.mock.calls.filter(([command]) => command === 'change_requests').length
    const before = asked()
    expect(before).toBeGreaterThan(0)
    await screen.setProps({ othersChanges: 1 })
    await flushPromises()
    expect(asked()).toBe(before + 1)
    screen.unmount()
  })
})
