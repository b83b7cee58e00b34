import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import type { Overview } from '../api'
import { item, list } from '../lib/fixtures'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...args: unknown[]) => invoke(...args) }))
const { default: VersionsPanel } = await import('./VersionsPanel.vue')

const overview: Overview = { database_path: '/tmp/q.db', read_only: false, empty: false, item_count: 0, tree: [], lists: [] }

function mountPanel(startPublishing: boolean, answer?: (command: string) => Promise<unknown>) {
  invoke.mockReset()
  invoke.mockImplementation(
    answer ??
      (async (command: string) => {
        if (command === 'versions_of') return []
        throw new Error(`unexpected ${command}`)
      }),
  )
  return mount(VersionsPanel, {
    props: { list: list(7, 1), overview, startPublishing },
    global: { plugins: [ElementPlus] },
    attachTo: document.body,
  })
}

const publishFormShown = () => document.querySelector('[data-testid=version-doc-no]') !== null

describe('VersionsPanel', () => {
  it('opens the publish form at once when the list editor asked for it, and says so', async () => {
    const panel = mountPanel(true)
    await flushPromises()
    expect(publishFormShown()).toBe(true)
    expect(panel.emitted('publishStarted')).toHaveLength(1)
    panel.unmount()
  })

  it('opens no form when shown from the 历史 tab', async () => {
    const panel = mountPanel(false)
    await flushPromises()
    expect(publishFormShown()).toBe(false)
    expect(panel.emitted('publishStarted')).toBeUndefined()
    panel.unmount()
  })

  it('shows the refusal for red findings and publishes only with a reason, sent as despite_findings', async () => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    const panel = mountPanel(true)
    const refusal = '“清单7”还有 2 个未处理的红色问题（“重复事项”），不能发布：请先处理或豁免；确需发布，请写明理由'
    invoke.mockImplementation(async (command: string, args: Record<string, unknown>) => {
      if (command === 'versions_of') return []
      if (command === 'publish_version') {
        const request = args.request as { despite_findings?: string }
        if (!request.despite_findings) throw { code: 'procedure_refused', message: `${refusal}（--despite-findings --reason 理由）` }
        return { id: 3, list: 7, number: 1, published_on: '2026-12-05', doc_no: null, note: null, item_count: 4 }
      }
      throw new Error(`unexpected ${command}`)
    })
    await flushPromises()
    document.querySelector<HTMLButtonElement>('[data-testid=version-publish-submit]')!.click()
    await flushPromises()
    expect(document.querySelector('[data-testid=version-error]')?.textContent).toContain(refusal)
    expect(document.querySelector('[data-testid=version-error]')?.textContent).not.toContain('--despite-findings')
    expect(document.querySelector('[data-testid=version-publish-submit]')).toBeNull()
    const despite = document.querySelector<HTMLButtonElement>('[data-testid=version-publish-despite]')!
    expect(despite.textContent).toContain('仍然发布')

    despite.click()
    await flushPromises()
    expect(document.querySelector('[data-testid=version-error]')?.textContent).toContain('请写明仍然发布的理由')
    expect(invoke.mock.calls.filter(([c]) => c === 'publish_version')).toHaveLength(1)

    const reason = document.querySelector<HTMLTextAreaElement>('textarea[data-testid=version-despite-reason]')!
    reason.value = '经主任会议研究先行公布'
    reason.dispatchEvent(new Event('input'))
    await flushPromises()
    despite.click()
    await flushPromises()
    expect(invoke).toHaveBeenLastCalledWith('versions_of', { list: 7 })
    expect(invoke).toHaveBeenCalledWith('publish_version', {
      request: expect.objectContaining({ list: 7, despite_findings: '经主任会议研究先行公布' }),
    })
    panel.unmount()
  })

  it('compares a version with the one before and writes the 调整公告 between them', async () => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    const v1 = { id: 11, list: 7, number: 1, published_on: '2026-11-01', doc_no: null, note: null, item_count: 3 }
    const v2 = { id: 12, list: 7, number: 2, published_on: '2026-12-01', doc_no: '青编办〔2026〕31号', note: null, item_count: 2 }
    const comparison = {
      version: v1,
      to: v2,
      added: [],
      removed: [item(9, { name: '取消的事项' })],
      changed: [],
      transferred_out: [
        { item: item(4, { name: '划走的事项' }), request: 8, action: '划转', from_list: 7, from_list_name: '清单7', to_list: 8, to_list_name: '清单8' },
      ],
      transferred_in: [],
      unchanged: 1,
      reasons: [{ item: 9, request: 7, reason: '法律依据已废止', basis: '国务院令第 1 号' }],
    }
    const panel = mountPanel(false, async (command: string) => {
      if (command === 'versions_of') return [v2, v1]
      if (command === 'compare_versions') return comparison
      if (command === 'write_adjustment_notice') return '/tmp/调整公告.pdf'
      throw new Error(`unexpected ${command}`)
    })
    await flushPromises()
    const previousButtons = document.querySelectorAll<HTMLButtonElement>('[data-testid=version-compare-previous]')
    expect(previousButtons).toHaveLength(1) // the oldest version has none before it
    previousButtons[0].click()
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('compare_versions', { from: 11, to: 12 })
    const shown = document.querySelector('[data-testid=version-comparison]')!.textContent ?? ''
    expect(shown).toContain('调出 1 项')
    expect(shown).toContain('理由：法律依据已废止，依据：国务院令第 1 号')
    expect(document.querySelector('[data-testid=version-transfer]')?.textContent).toContain('划转：清单7 → 清单8')

    document.querySelector<HTMLButtonElement>('[data-testid=version-adjustment-notice]')!.click()
    await flushPromises()
    const organ = document.querySelector<HTMLInputElement>('input[data-testid=adjustment-organ]')!
    organ.value = '中共青川区委机构编制委员会办公室'
    organ.dispatchEvent(new Event('input'))
    const path = document.querySelector<HTMLInputElement>('input[data-testid=adjustment-path]')!
    path.value = '/tmp/调整公告.pdf'
    path.dispatchEvent(new Event('input'))
    await flushPromises()
    document.querySelector<HTMLButtonElement>('[data-testid=adjustment-write]')!.click()
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('write_adjustment_notice', {
      request: expect.objectContaining({ list: 7, from: 1, to: 2, issuing_organ: '中共青川区委机构编制委员会办公室' }),
      format: 'pdf',
      path: '/tmp/调整公告.pdf',
    })
    expect(document.querySelector('[data-testid=adjustment-written]')?.textContent).toContain('/tmp/调整公告.pdf')
    panel.unmount()
  })

  // Issue 19: another user published a version (a change counted in othersChanges): the
  // versions are read again, and a comparison the user is reading stays on screen.
  it("reads the versions again when another user's change arrives, keeping the comparison shown", async () => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    const v1 = { id: 11, list: 7, number: 1, published_on: '2026-11-01', doc_no: null, note: null, item_count: 3 }
    const v2 = { id: 12, list: 7, number: 2, published_on: '2026-12-01', doc_no: null, note: null, item_count: 2 }
    const v3 = { id: 13, list: 7, number: 3, published_on: '2026-12-06', doc_no: null, note: null, item_count: 2 }
    let versions = [v2, v1]
    const comparison = { version: v1, to: v2, added: [], removed: [], changed: [], transferred_out: [], transferred_in: [], unchanged: 2, reasons: [] }
    const panel = mountPanel(false, async (command: string) => {
      if (command === 'versions_of') return versions
      if (command === 'compare_versions') return comparison
      throw new Error(`unexpected ${command}`)
    })
    await flushPromises()
    document.querySelector<HTMLButtonElement>('[data-testid=version-compare-previous]')!.click()
    await flushPromises()
    expect(document.querySelector('[data-testid=version-comparison]')).not.toBeNull()
    versions = [v3, v2, v1]
    await panel.setProps({ othersChanges: 1 })
    await flushPromises()
    expect(document.querySelectorAll('[data-testid=version-compare-previous]')).toHaveLength(2)
    expect(document.querySelector('[data-testid=version-comparison]')).not.toBeNull()
    panel.unmount()
  })
})
