import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import type { Finding, Report, WorkProgress } from '../api'

const invoke = vi.fn()
/** Stands in for Tauri's channel: the test delivers progress through `onmessage`. */
class FakeChannel<T> {
  onmessage: (message: T) => void = () => {}
}
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...args: unknown[]) => invoke(...args), Channel: FakeChannel }))
const { default: ChecksPanel } = await import('./ChecksPanel.vue')

const evil = '<img src=x onerror="window.pwned=1">占道经营'

function nearDuplicate(): Finding {
  return {
    key: 'overlap.near:I1,I2',
    rule: 'overlap.near',
    severity: 'warning',
    grade: 'blue',
    title: '同级部门职责疑似交叉（相似事项）',
    message: `${evil} 与 占道经营查处 相似`,
    subjects: [
      { kind: 'item', id: 1, label: `${evil}（甲局）` },
      { kind: 'item', id: 2, label: '占道经营查处（乙局）' },
    ],
    jurisdictions: [],
    evidence: {
      type: 'similarity',
      score: 0.82,
      left: [
        { text: '<img src=x onerror="window.pwned=1">', shared: false },
        { text: '占道经营', shared: true },
      ],
      right: [
        { text: '占道经营', shared: true },
        { text: '查处', shared: false },
      ],
      confidence: 'strong',
      shared_basis: ['《城市市容和环境卫生管理条例》第三十六条'],
      reasons: ['实施依据同为《城市市容和环境卫生管理条例》第三十六条', `所指对象：“${evil}”`],
    },
    fingerprint: 'f',
    waived: false,
    waiver_reason: null,
    waiver_lapsed: false,
  }
}

describe('ChecksPanel', () => {
  it('shows findings by grade and rule, evidence side by side as text with shared parts marked', async () => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    const report: Report = {
      findings: [nearDuplicate()],
      summary: { total: 1, waived: 0, errors: 0, warnings: 1, infos: 0, red: 0, yellow: 0, blue: 1, by_rule: {} },
    }
    invoke.mockResolvedValue(report)
    const wrapper = mount(ChecksPanel, { global: { plugins: [ElementPlus] } })
    await wrapper.find('[data-testid=run-checks]').trigger('click')
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('run_checks', { jurisdiction: null, onProgress: expect.any(FakeChannel) })
    expect(wrapper.find('[data-testid=grade-blue]').text()).toContain('待处理 1 / 共 1')
    await wrapper.find('[data-testid=finding-open]').trigger('click')
    const evidence = wrapper.find('[data-testid=evidence-similarity]')
    expect(evidence.text()).toContain('相似度 82%')
    expect(evidence.findAll('mark.shared').map((m) => m.text())).toEqual(['占道经营', '占道经营'])
    // The overlap's evidence in words: how sure, the shared legal basis, the objects compared.
    expect(evidence.find('[data-testid=evidence-confidence]').text()).toBe('依据相同')
    expect(evidence.find('[data-testid=evidence-reasons]').text()).toContain('实施依据同为《城市市容和环境卫生管理条例》第三十六条')
    expect(wrapper.find('img').exists()).toBe(false)
    expect(wrapper.text()).toContain(evil)
    // Clicking an item of the finding asks to jump to it.
    await wrapper.find('[data-testid=finding-jump]').trigger('click')
    expect(wrapper.emitted('jump')).toEqual([[1]])
    delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__
  })

  it('shows the step and 取消 while checking; a cancelled run says 已取消 and keeps the findings before it', async () => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    invoke.mockReset()
    const before: Report = {
      findings: [nearDuplicate()],
      summary: { total: 1, waived: 0, errors: 0, warnings: 1, infos: 0, red: 0, yellow: 0, blue: 1, by_rule: {} },
    }
    let channel: FakeChannel<WorkProgress> | null = null
    let stop: ((reason: unknown) => void) | null = null
    invoke.mockImplementation((command: string, args?: { onProgress?: FakeChannel<WorkProgress> }) => {
      if (command === 'run_checks') {
        if (!channel) {
          channel = args!.onProgress!
          return Promise.resolve(before)
        }
        channel = args!.onProgress!
        return new Promise((_, reject) => (stop = reject))
      }
      if (command === 'cancel_checks') {
        // The shell answers at once; the run stops at its next rule.
        return Promise.resolve(null)
      }
      return Promise.reject(new Error(`unexpected ${command}`))
    })
    const wrapper = mount(ChecksPanel, { global: { plugins: [ElementPlus] }, attachTo: document.body })
    await wrapper.find('[data-testid=run-checks]').trigger('click')
    await flushPromises()
    expect(wrapper.findAll('[data-testid=finding]')).toHaveLength(1)
    expect(wrapper.find('[data-testid=checks-progress]').exists()).toBe(false)

    // Run again: the progress shows, the findings before stay listed.
    await wrapper.find('[data-testid=run-checks]').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-testid=checks-progress-step]').text()).toBe('正在准备…')
    expect(wrapper.find('[data-testid=checks-progress-count]').exists()).toBe(false)
    channel!.onmessage({ step: '正在检查：同级部门职责交叉（同名事项）（1/21）', done: 1, total: 22 })
    await flushPromises()
    expect(wrapper.find('[data-testid=checks-progress-step]').text()).toBe('正在检查：同级部门职责交叉（同名事项）（1/21）')
    expect(wrapper.find('[data-testid=checks-progress-count]').text()).toBe('1/22')
    expect(wrapper.find('[data-testid=checks-body]').attributes('data-busy')).toBe('yes')

    await wrapper.find('[data-testid=cancel-checks]').trigger('click')
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('cancel_checks', undefined)
    expect(wrapper.find('[data-testid=checks-progress-step]').text()).toBe('正在取消…')
    expect(wrapper.find('[data-testid=cancel-checks]').attributes('disabled')).toBeDefined()

    stop!({ code: 'cancelled', message: '检查已取消' })
    await flushPromises()
    expect(wrapper.find('[data-testid=checks-progress]').exists()).toBe(false)
    expect(wrapper.find('[data-testid=checks-cancelled]').text()).toContain('已取消')
    expect(wrapper.find('[data-testid=checks-body]').attributes('data-busy')).toBe('no')
    expect(wrapper.find('[data-testid=checks-summary]').text()).toContain('待处理 1 个')
    expect(wrapper.findAll('[data-testid=finding]')).toHaveLength(1)
    // A notice at most, never an error message.
    expect(document.querySelector('.el-message')).toBeNull()
    wrapper.unmount()
    delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__
  })

  it('counts a 豁免 at once in every number, and withdraws it again (issue 18: 红 8 beside 待处理 7 / 共 8)', async () => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    invoke.mockReset()
    const red = (key: string): Finding => ({
      ...nearDuplicate(),
      key,
      rule: 'org.over_staffed',
      severity: 'error',
      grade: 'red',
      title: '实有人数超过编制',
      message: `机构${key}超编`,
      evidence: { type: 'facts', lines: [] },
    })
    const report: Report = {
      findings: [red('A'), red('B')],
      summary: { total: 2, waived: 0, errors: 2, warnings: 0, infos: 0, red: 2, yellow: 0, blue: 0, by_rule: { 'org.over_staffed': 2 } },
    }
    invoke.mockImplementation(async (command: string, args: { findingKey?: string; reason?: string }) => {
      if (command === 'run_checks') return report
      if (command === 'waive') return { id: 1, finding_key: args.findingKey, rule: 'org.over_staffed', reason: args.reason, actor: '甲', at: '', fingerprint: 'f' }
      if (command === 'withdraw_waiver') return { id: 1, finding_key: args.findingKey, rule: 'org.over_staffed', reason: '临时借调', actor: '甲', at: '', fingerprint: 'f' }
      throw new Error(`unexpected ${command}`)
    })
    const wrapper = mount(ChecksPanel, { global: { plugins: [ElementPlus] }, attachTo: document.body })
    const settle = async () => {
      await flushPromises()
      await new Promise((resolve) => setTimeout(resolve, 50))
      await flushPromises()
    }
    await wrapper.find('[data-testid=run-checks]').trigger('click')
    await settle()
    expect(wrapper.find('[data-testid=checks-summary] .red').text()).toBe('红 2')

    await wrapper.find('[data-testid=finding-open]').trigger('click')
    await wrapper.find('[data-testid=finding-waive]').trigger('click')
    await settle()
    const prompt = document.querySelector<HTMLElement>('.waive-prompt')!
    expect(prompt.textContent).toContain('豁免')
    const input = prompt.querySelector<HTMLInputElement>('input')!
    input.value = '临时借调'
    input.dispatchEvent(new Event('input'))
    await settle()
    prompt.querySelector<HTMLButtonElement>('.el-message-box__btns .el-button--primary')!.click()
    await settle()
    expect(invoke).toHaveBeenCalledWith('waive', { findingKey: 'A', reason: '临时借调' })
    // Every count agrees without a new run.
    expect(wrapper.find('[data-testid=checks-summary] .red').text()).toBe('红 1')
    expect(wrapper.find('[data-testid=checks-summary]').text()).toContain('待处理 1 个')
    expect(wrapper.find('[data-testid=checks-waived]').text()).toBe('已豁免 1')
    expect(wrapper.find('[data-testid=grade-red]').text()).toContain('待处理 1 / 共 2')
    expect(invoke.mock.calls.filter(([c]) => c === 'run_checks')).toHaveLength(1)

    // Shown again with 显示已豁免, the exemption is withdrawn after a confirmation.
    await wrapper.find('[data-testid=show-waived] input').setValue(true)
    expect(wrapper.find('[data-testid=finding][data-key=A] [data-testid=waiver-reason]').text()).toBe('豁免理由：临时借调')
    await wrapper.find('[data-testid=finding-withdraw-waiver]').trigger('click')
    await settle()
    document.querySelector<HTMLButtonElement>('.withdraw-waiver-confirm .el-message-box__btns .el-button--primary')!.click()
    await settle()
    expect(invoke).toHaveBeenCalledWith('withdraw_waiver', { findingKey: 'A' })
    expect(wrapper.find('[data-testid=checks-summary] .red').text()).toBe('红 2')
    expect(wrapper.find('[data-testid=checks-waived]').text()).toBe('已豁免 0')
    expect(wrapper.find('[data-testid=grade-red]').text()).toContain('待处理 2 / 共 2')
    wrapper.unmount()
    delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__
  })
})
