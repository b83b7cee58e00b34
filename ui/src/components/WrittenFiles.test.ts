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

describe('WrittenFiles printing', () => {
  const printers = [
    { name: '办公室', is_default: true },
    { name: '档案室', is_default: false },
  ]

  it('prints a written PDF on the default printer with the options of the form', async () => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    invoke.mockReset()
    invoke.mockImplementation(async (command: string) => {
      if (command === 'printers') return printers
      if (command === 'print_files') return { printer: '办公室', job: '办公室-7', files: 1 }
      return null
    })
    const wrapper = mount(WrittenFiles, {
      props: { paths: ['/tmp/公示.pdf', '/tmp/公示.xlsx'] },
      global: { plugins: [ElementPlus] },
      attachTo: document.body,
    })
    // 打印… for the PDF only, and no 全部打印… for a single PDF.
    expect(wrapper.findAll('[data-testid=written-print]')).toHaveLength(1)
    expect(wrapper.find('[data-testid=written-print-all]').exists()).toBe(false)
    await wrapper.find('[data-testid=written-print]').trigger('click')
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('printers', undefined)
    const submit = document.querySelector<HTMLButtonElement>('[data-testid=print-submit]')
    expect(submit?.disabled).toBe(false)
    submit?.click()
    await flushPromises()
    expect(invoke).toHaveBeenLastCalledWith('print_files', {
      request: { paths: ['/tmp/公示.pdf'], printer: '办公室', copies: 1, two_sided: false, pages: undefined },
    })
    expect(wrapper.find('[data-testid=written-printed]').text()).toContain('已送往打印机“办公室”：1 个文件，各 1 份（任务 办公室-7）')
    wrapper.unmount()
    delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__
  })

  it('prints every poster as one job and says when this machine cannot print', async () => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    invoke.mockReset()
    invoke.mockRejectedValueOnce({ code: 'printing', message: '本机没有可用的打印服务（CUPS），无法从程序内打印。请点“打开”，在阅读器中打印' })
    const wrapper = mount(WrittenFiles, {
      props: { paths: ['/tmp/海报/一社区.pdf', '/tmp/海报/二社区.pdf'] },
      global: { plugins: [ElementPlus] },
      attachTo: document.body,
    })
    await wrapper.find('[data-testid=written-print-all]').trigger('click')
    await flushPromises()
    expect(document.querySelector('[data-testid=print-files]')?.textContent).toContain('一社区.pdf 等 2 个文件')
    expect(document.querySelector('[data-testid=print-unavailable]')?.textContent).toContain('在阅读器中打印')
    expect(document.querySelector<HTMLButtonElement>('[data-testid=print-submit]')?.disabled).toBe(true)
    expect(invoke).not.toHaveBeenCalledWith('print_files', expect.anything())
    wrapper.unmount()
    delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__
  })

  it('keeps the form open with the print service refusal when a job is refused', async () => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    invoke.mockReset()
    invoke.mockImplementation(async (command: string) => {
      if (command === 'printers') return printers
      if (command === 'print_files') throw { code: 'printing', message: '打印服务拒绝了请求：lp: The printer is not accepting jobs.' }
      return null
    })
    const wrapper = mount(WrittenFiles, {
      props: { paths: ['/tmp/公示.pdf'] },
      global: { plugins: [ElementPlus] },
      attachTo: document.body,
    })
    await wrapper.find('[data-testid=written-print]').trigger('click')
    await flushPromises()
    document.querySelector<HTMLButtonElement>('[data-testid=print-submit]')?.click()
    await flushPromises()
    expect(document.querySelector('[data-testid=print-error]')?.textContent).toContain('not accepting jobs')
    expect(wrapper.find('[data-testid=written-printed]').exists()).toBe(false)
    wrapper.unmount()
    delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__
  })
})
