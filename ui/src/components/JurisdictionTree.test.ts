import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { sampleTree } from '../lib/fixtures'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...args: unknown[]) => invoke(...args), Channel: class {} }))
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: vi.fn(), save: vi.fn() }))
const { default: JurisdictionTree } = await import('./JurisdictionTree.vue')

function mountTree(selected: number | null = 1) {
  return mount(JurisdictionTree, {
    props: { tree: sampleTree(), selected },
    global: { plugins: [ElementPlus] },
    attachTo: document.body,
  })
}

/** el-tree's item (the focusable row) of the place with this id. */
function treeItem(wrapper: ReturnType<typeof mountTree>, id: number): HTMLElement {
  const content = wrapper.find(`[data-testid=tree-node-${id}]`).element
  const item = content.closest<HTMLElement>('.el-tree-node')
  if (!item) throw new Error(`no tree item for ${id}`)
  return item
}

describe('JurisdictionTree', () => {
  it('selects the focused place on Enter and on Space, as a click does', async () => {
    const wrapper = mountTree()
    const town = treeItem(wrapper, 3)
    town.focus()
    town.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true }))
    treeItem(wrapper, 5).dispatchEvent(new KeyboardEvent('keydown', { key: ' ', code: 'Space', bubbles: true }))
    expect(wrapper.emitted('select')).toEqual([[3], [5]])
    wrapper.unmount()
  })

  it('closes and opens a branch with ← and → without selecting it', async () => {
    const wrapper = mountTree()
    const street = treeItem(wrapper, 2)
    expect(street.classList.contains('is-expanded')).toBe(true)
    street.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', code: 'ArrowLeft', bubbles: true }))
    await flushPromises()
    expect(street.classList.contains('is-expanded')).toBe(false)
    street.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', code: 'ArrowRight', bubbles: true }))
    await flushPromises()
    expect(street.classList.contains('is-expanded')).toBe(true)
    expect(wrapper.emitted('select')).toBeUndefined()
    wrapper.unmount()
  })

  it('adds a village under the selected town and asks the app to read the tree again', async () => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    invoke.mockReset()
    invoke.mockImplementation((command: string, args: Record<string, unknown>) => {
      if (command === 'create_jurisdiction') {
        return Promise.resolve({ id: 9, parent: args.parent, name: args.name, level: '社区', designation: args.designation })
      }
      return Promise.reject({ code: 'internal', message: command })
    })
    const wrapper = mountTree(3)
    await wrapper.find('[data-testid=tree-manage-button]').trigger('click')
    await flushPromises()
    document.querySelector<HTMLElement>('[data-testid=tree-add]')!.click()
    await flushPromises()
    expect(document.querySelector('.el-dialog__title')?.textContent).toBe('在青山镇下新增社区')
    const name = document.querySelector<HTMLInputElement>('input[data-testid=place-name]')!
    name.value = '桃源村'
    name.dispatchEvent(new Event('input'))
    const village = [...document.querySelectorAll<HTMLInputElement>('[data-testid=place-designation] input')].find((i) => i.value === '村')!
    village.click()
    await flushPromises()
    document.querySelector<HTMLButtonElement>('[data-testid=place-save]')!.click()
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('create_jurisdiction', { parent: 3, name: '桃源村', designation: '村' })
    expect(wrapper.emitted('changed')).toEqual([[]])
    wrapper.unmount()
    delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__
  })

  it('shows a refused rename in the form and keeps it open', async () => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    invoke.mockReset()
    invoke.mockImplementation(() => Promise.reject({ code: 'invalid_input', message: '“示例区”下已有名为“东门街道”的辖区' }))
    const wrapper = mountTree(3)
    await wrapper.find('[data-testid=tree-manage-button]').trigger('click')
    await flushPromises()
    document.querySelector<HTMLElement>('[data-testid=tree-rename]')!.click()
    await flushPromises()
    const name = document.querySelector<HTMLInputElement>('input[data-testid=place-name]')!
    expect(name.value).toBe('青山镇')
    name.value = '东门街道'
    name.dispatchEvent(new Event('input'))
    const street = [...document.querySelectorAll<HTMLInputElement>('[data-testid=place-designation] input')].find((i) => i.value === '街道')!
    street.click()
    await flushPromises()
    document.querySelector<HTMLButtonElement>('[data-testid=place-save]')!.click()
    await flushPromises()
    // The level's own word is no designation of its own.
    expect(invoke).toHaveBeenCalledWith('rename_jurisdiction', { jurisdiction: 3, name: '东门街道', designation: null })
    expect(document.querySelector('[data-testid=place-error]')?.textContent).toContain('已有名为“东门街道”的辖区')
    expect(wrapper.emitted('changed')).toBeUndefined()
    wrapper.unmount()
    delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__
  })
})
