import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...args: unknown[]) => invoke(...args) }))
const { default: WrittenFiles } = await import('./WrittenFiles.vue')

describe('WrittenFiles', () => {
  it('opens a written file or its folder through the shell, and shows a refusal beside it', async () => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    invoke.mockResolvedValueOnce(null).mockRejectedValueOnce({ code: 'io', message: '无法用系统程序打开 /tmp/a.pdf' })
    const wrapper = mount(WrittenFiles, { props: { paths: ['/tmp/a.pdf'] }, global: { plugins: [ElementPlus] } })
    expect(wrapper.find('code').text()).toBe('/tmp/a.pdf')
    await wrapper.find('[data-testid=written-open]').trigger('click')
    await flushPromises()
    expect(invoke).toHaveBeenLastCalledWith('open_written_file', { path: '/tmp/a.pdf', folder: false })
    expect(wrapper.find('[data-testid=written-open-error]').exists()).toBe(false)
    await wrapper.find('[data-testid=written-open-folder]').trigger('click')
    await flushPromises()
    expect(invoke).toHaveBeenLastCalledWith('open_written_file', { path: '/tmp/a.pdf', folder: true })
    expect(wrapper.find('[data-testid=written-open-error]').text()).toContain('无法用系统程序打开')
    delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__
  })
})
