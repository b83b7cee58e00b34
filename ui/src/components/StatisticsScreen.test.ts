import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import type { Overview, Statistics } from '../api'
import { sampleTree } from '../lib/fixtures'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...args: unknown[]) => invoke(...args), Channel: class {} }))
const { default: StatisticsScreen } = await import('./StatisticsScreen.vue')

const overview: Overview = { database_path: '/tmp/q.db', read_only: false, empty: false, item_count: 1157, tree: sampleTree(), lists: [] }

function statistics(withoutUnit: number): Statistics {
  return {
    jurisdiction: null,
    item_count: 1157,
    by_power_type: [],
    by_unit: [{ label: '青川区市场监督管理局', count: 1157 - withoutUnit }],
    items_without_unit: withoutUnit,
    by_level: [],
    by_list_kind: [],
    findings_by_grade: [],
    admission_by_state: [],
    withdrawn_to_unit: [],
  }
}

async function screen(withoutUnit: number) {
  ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
  invoke.mockReset()
  invoke.mockImplementation((command: string) =>
    command === 'statistics' ? Promise.resolve(statistics(withoutUnit)) : Promise.reject({ code: 'internal', message: command }),
  )
  const wrapper = mount(StatisticsScreen, {
    props: { overview },
    // The chart draws on a canvas; its numbers are in the table beside it.
    global: { plugins: [ElementPlus], stubs: { StatChart: true } },
  })
  await flushPromises()
  return wrapper
}

describe('StatisticsScreen', () => {
  // Issue 18: the top "department" was 未指定机构, which told a clerk nothing.
  it('counts items no department answers for in words beside the department chart, not as a bar', async () => {
    const wrapper = await screen(672)
    const card = wrapper.find('[data-testid=stats-by_unit]')
    const labels = card.findAll('[data-testid=stats-label]').map((l) => l.text())
    expect(labels).toEqual(['青川区市场监督管理局'])
    expect(card.find('[data-testid=stats-without-unit]').text()).toContain('另有 672 个事项不计入此图')
    expect(card.text()).not.toContain('未指定机构')
    wrapper.unmount()
  })

  it('says nothing more when every item has its department', async () => {
    const wrapper = await screen(0)
    expect(wrapper.find('[data-testid=stats-without-unit]').exists()).toBe(false)
    wrapper.unmount()
  })
})
