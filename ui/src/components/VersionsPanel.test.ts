import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import type { Overview } from '../api'
import { list } from '../lib/fixtures'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...args: unknown[]) => invoke(...args) }))
const { default: VersionsPanel } = await import('./VersionsPanel.vue')

const overview: Overview = { database_path: '/tmp/q.db', read_only: false, empty: false, item_count: 0, tree: [], lists: [] }

function mountPanel(startPublishing: boolean) {
  invoke.mockReset()
  invoke.mockImplementation(async (command: string) => {
    if (command === 'versions_of') return []
    throw new Error(`unexpected ${command}`)
  })
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
})
