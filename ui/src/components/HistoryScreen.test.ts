import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import type { AuditEntry } from '../api'
import { list } from '../lib/fixtures'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...args: unknown[]) => invoke(...args) }))
const { default: HistoryScreen } = await import('./HistoryScreen.vue')

const entries: AuditEntry[] = [
  {
    id: 2,
    at: '2025-06-30T14:06:00+08:00',
    actor: '张三',
    action: '修改',
    entity: '事项',
    entity_id: 7,
    label: '占道经营查处',
    before: { id: 7, list: 3, name: '旧名' },
    after: { id: 7, list: 3, name: '占道经营查处' },
    reason: null,
  },
  {
    id: 1,
    at: '2025-06-30T14:05:09+08:00',
    actor: '张三',
    action: '新增',
    entity: '事项',
    entity_id: 1,
    entity_id_last: 500,
    label: '清单3：导入 住建局.xlsx（500 项）',
    before: null,
    after: { list: 3, 来源: '导入 住建局.xlsx', 事项: '#1–#500（500 项）', 文件: '住建局.xlsx' },
    reason: null,
  },
]

describe('HistoryScreen', () => {
  it('shows a run of imported items as one entry with its ids, opening to what wrote them', async () => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    invoke.mockResolvedValue(entries)
    const wrapper = mount(HistoryScreen, { props: { list: list(3, 1) }, global: { plugins: [ElementPlus] } })
    await flushPromises()
    const rows = wrapper.findAll('.el-table__body tr.el-table__row')
    expect(rows).toHaveLength(2)
    expect(rows[0].text()).toContain('#7')
    expect(rows[1].text()).toContain('#1–#500')
    // Only an entry about one item offers that item's history.
    expect(rows[0].text()).toContain('只看此事项')
    expect(rows[1].text()).not.toContain('只看此事项')
    await rows[1].find('.el-table__expand-icon').trigger('click')
    await flushPromises()
    const run = wrapper.find('[data-testid=history-run]')
    expect(run.findAll(':scope > tbody > tr').map((tr) => tr.findAll('td').map((td) => td.text()))).toEqual([
      ['来源', '导入 住建局.xlsx'],
      ['事项', '#1–#500（500 项）'],
      ['文件', '住建局.xlsx'],
    ])
    delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__
  })

  // Issue 19: another user's change (counted in othersChanges) has the log read again.
  it("reads the log again when another user's change arrives", async () => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    invoke.mockReset()
    invoke.mockResolvedValue(entries.slice(1))
    const wrapper = mount(HistoryScreen, { props: { list: list(3, 1), othersChanges: 0 }, global: { plugins: [ElementPlus] } })
    await flushPromises()
    expect(wrapper.findAll('.el-table__body tr.el-table__row')).toHaveLength(1)
    invoke.mockResolvedValue(entries)
    await wrapper.setProps({ othersChanges: 1 })
    await flushPromises()
    expect(wrapper.findAll('.el-table__body tr.el-table__row')).toHaveLength(2)
  })
})
