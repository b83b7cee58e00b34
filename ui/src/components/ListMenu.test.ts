import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { list } from '../lib/fixtures'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...args: unknown[]) => invoke(...args), Channel: class {} }))
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: vi.fn(), save: vi.fn() }))
const { default: ListMenu } = await import('./ListMenu.vue')

const street = { jurisdiction_name: '青溪街道', level: '街道' as const }
const lists = [list(11, 2, { ...street, kind: '基本履职' }), list(12, 2, { ...street, kind: '配合履职' }), list(13, 2, { ...street, kind: '上级部门收回' })]

function mountMenu(selected: number | null) {
  return mount(ListMenu, {
    props: { title: '青溪街道 的清单', lists, selected },
    global: { plugins: [ElementPlus] },
    attachTo: document.body,
  })
}

const entries = () => [...document.querySelectorAll<HTMLElement>('[data-test-class=list-entry]')]

describe('ListMenu', () => {
  it('is one Tab stop (the selected list) and moves with the arrows, opening with Enter', async () => {
    const wrapper = mountMenu(12)
    expect(entries().map((e) => e.tabIndex)).toEqual([-1, 0, -1])
    entries()[1]!.focus()
    entries()[1]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }))
    await flushPromises()
    expect(document.activeElement).toBe(entries()[2])
    expect(entries().map((e) => e.tabIndex)).toEqual([-1, -1, 0])
    entries()[2]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Home', bubbles: true }))
    await flushPromises()
    expect(document.activeElement).toBe(entries()[0])
    // Moving does not open a list; Enter and Space do.
    expect(wrapper.emitted('select')).toBeUndefined()
    entries()[0]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }))
    entries()[0]!.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true }))
    expect(wrapper.emitted('select')).toEqual([[11], [11]])
    wrapper.unmount()
  })

  it('creates a unit typed in the form and its list, and opens the new list', async () => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    invoke.mockReset()
    invoke.mockImplementation((command: string, args: Record<string, unknown>) => {
      if (command === 'units_of') return Promise.resolve([{ id: 5, jurisdiction: 2, name: '党政办公室', kind: '行政' }])
      if (command === 'create_unit') return Promise.resolve({ id: 6, jurisdiction: 2, name: args.name, kind: args.kind })
      if (command === 'create_list') return Promise.resolve({ id: 20, ...(args.list as object) })
      return Promise.reject({ code: 'internal', message: command })
    })
    const wrapper = mountMenu(null)
    await wrapper.find('[data-testid=list-manage-button]').trigger('click')
    await flushPromises()
    document.querySelector<HTMLElement>('[data-testid=list-create]')!.click()
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('units_of', { jurisdiction: 2 })
    const vm = wrapper.vm as unknown as { creating: { unit: unknown; unitName: string; kind: string; name: string } }
    vm.creating.unit = 'new'
    vm.creating.unitName = '营商环境服务中心'
    await flushPromises()
    vm.creating.kind = '任务清单'
    await flushPromises()
    expect(vm.creating.name).toBe('营商环境服务中心任务清单')
    document.querySelector<HTMLButtonElement>('[data-testid=list-form-save]')!.click()
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('create_unit', { jurisdiction: 2, name: '营商环境服务中心', kind: '行政' })
    expect(invoke).toHaveBeenCalledWith('create_list', {
      list: { jurisdiction: 2, unit: 6, kind: '任务清单', name: '营商环境服务中心任务清单' },
    })
    expect(wrapper.emitted('changed')).toEqual([[]])
    expect(wrapper.emitted('select')).toEqual([[20]])
    wrapper.unmount()
    delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__
  })

  it('does not offer a unit\'s kind for the place itself', async () => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    invoke.mockReset()
    invoke.mockImplementation((command: string) => (command === 'units_of' ? Promise.resolve([]) : Promise.reject({ code: 'internal', message: command })))
    const wrapper = mountMenu(null)
    await wrapper.find('[data-testid=list-manage-button]').trigger('click')
    await flushPromises()
    document.querySelector<HTMLElement>('[data-testid=list-create]')!.click()
    await flushPromises()
    const vm = wrapper.vm as unknown as { kinds: string[] }
    expect(vm.kinds).toEqual(['权责清单', '基本履职', '配合履职', '上级部门收回'])
    wrapper.unmount()
    delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__
  })
})
