import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import type { Finding, Report } from '../api'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...args: unknown[]) => invoke(...args) }))
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
    expect(invoke).toHaveBeenCalledWith('run_checks', { jurisdiction: null })
    expect(wrapper.find('[data-testid=grade-blue]').text()).toContain('待处理 1 / 共 1')
    await wrapper.find('[data-testid=finding-open]').trigger('click')
    const evidence = wrapper.find('[data-testid=evidence-similarity]')
    expect(evidence.text()).toContain('相似度 82%')
    expect(evidence.findAll('mark.shared').map((m) => m.text())).toEqual(['占道经营', '占道经营'])
    expect(wrapper.find('img').exists()).toBe(false)
    expect(wrapper.text()).toContain(evil)
    // Clicking an item of the finding asks to jump to it.
    await wrapper.find('[data-testid=finding-jump]').trigger('click')
    expect(wrapper.emitted('jump')).toEqual([[1]])
    delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__
  })
})
