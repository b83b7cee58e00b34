import { afterEach, describe, expect, it, vi } from 'vitest'
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import type { Overview } from '../api'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...args: unknown[]) => invoke(...args) }))
const { default: NoticesScreen } = await import('./NoticesScreen.vue')

// Each screen listens for Ctrl+P on the document: one left mounted would answer another test's key.
enableAutoUnmount(afterEach)

const overview: Overview = {
  database_path: '/tmp/q.db', read_only: false,
  empty: false,
  item_count: 3,
  tree: [],
  lists: [
    {
      id: 5,
      name: '青川区测试局权责清单',
      kind: '权责清单',
      jurisdiction: 1,
      jurisdiction_name: '青川区',
      level: '区',
      unit: 2,
      unit_name: '测试局',
      items: 3,
    },
  ],
}

const hostile = '<img src=x onerror="window.pwned=1">的公示'

function answer(command: string): unknown {
  switch (command) {
    case 'notice_fields':
      return { fields: [['seq', '序号'], ['name', '事项名称'], ['remarks', '备注']], defaults: ['seq', 'name'] }
    case 'notice_preview':
      return {
        html: `<!doctype html><html><head><link rel="stylesheet" href="quanze-notice.css"></head><body><h1>${hostile.replace(/</g, '&lt;')}</h1><script>window.pwned=2</script></body></html>`,
        css: 'h1 { font-size: 22pt; }',
        rows: 3,
      }
    case 'write_notice':
      return '/tmp/导出/公示.pdf'
    case 'write_notice_for_printing':
      return '/tmp/quanze-print/1/关于公布清单的通知.pdf'
    case 'printers':
      return [{ name: '办公室', is_default: true }]
    case 'print_files':
      return { printer: '办公室', job: '办公室-9', files: 1 }
    default:
      throw { code: 'internal', message: `unexpected ${command}` }
  }
}

describe('NoticesScreen', () => {
  it('previews in a fully sandboxed frame, never in the page, and exports to the typed path', async () => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    invoke.mockImplementation(async (command: string) => answer(command))
    const wrapper = mount(NoticesScreen, {
      props: { overview, node: null, list: 5 },
      global: { plugins: [ElementPlus] },
    })
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('notice_fields', { kind: '权责清单' })

    await wrapper.find('input[data-testid=notice-title]').setValue('  关于公布清单的通知 ')
    await wrapper.find('[data-testid=notice-preview]').trigger('click')
    await flushPromises()
    const request = invoke.mock.calls.find(([c]) => c === 'notice_preview')?.[1] as { request: Record<string, unknown> }
    expect(request.request).toMatchObject({ lists: [5], title: '关于公布清单的通知', doc_no: null, columns: ['seq', 'name'], orientation: null })

    const frame = wrapper.find('iframe[data-testid=notice-preview-frame]')
    expect(frame.attributes('sandbox')).toBe('')
    const srcdoc = frame.attributes('srcdoc') ?? ''
    expect(srcdoc).toContain('<style>h1 { font-size: 22pt; }</style>')
    expect(srcdoc).not.toContain('<script')
    expect(srcdoc).not.toContain('<link')
    // The hostile title is text in the frame's document and nothing of it reaches the page.
    expect(wrapper.find('img').exists()).toBe(false)
    expect((window as unknown as Record<string, unknown>).pwned).toBeUndefined()

    await wrapper.find('input[data-testid=notice-path]').setValue('/tmp/导出/公示.pdf')
    await wrapper.find('[data-testid=notice-export]').trigger('click')
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('write_notice', expect.objectContaining({ format: 'pdf', path: '/tmp/导出/公示.pdf' }))
    expect(wrapper.find('[data-testid=notice-written]').text()).toContain('/tmp/导出/公示.pdf')
  })

  it('prints the notice without a save path: written for printing, then sent from the print form', async () => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    invoke.mockReset()
    invoke.mockImplementation(async (command: string) => answer(command))
    const wrapper = mount(NoticesScreen, {
      props: { overview, node: null, list: 5 },
      global: { plugins: [ElementPlus] },
      attachTo: document.body,
    })
    await flushPromises()
    await wrapper.find('input[data-testid=notice-title]').setValue('关于公布清单的通知')
    await wrapper.find('[data-testid=notice-print]').trigger('click')
    await flushPromises()
    const written = invoke.mock.calls.find(([c]) => c === 'write_notice_for_printing')?.[1] as { request: Record<string, unknown> }
    expect(written.request).toMatchObject({ lists: [5], title: '关于公布清单的通知' })
    expect(invoke).not.toHaveBeenCalledWith('write_notice', expect.anything())
    document.querySelector<HTMLButtonElement>('[data-testid=print-submit]')?.click()
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('print_files', {
      request: expect.objectContaining({ paths: ['/tmp/quanze-print/1/关于公布清单的通知.pdf'], printer: '办公室', copies: 1 }),
    })
    expect(wrapper.find('[data-testid=notice-printed]').text()).toContain('已送往打印机“办公室”，1 份（任务 办公室-9）')

    // Ctrl+P does the same, and the webview's own printing of the screen is prevented.
    const key = new KeyboardEvent('keydown', { key: 'p', ctrlKey: true, cancelable: true, bubbles: true })
    document.dispatchEvent(key)
    await flushPromises()
    expect(key.defaultPrevented).toBe(true)
    expect(invoke.mock.calls.filter(([c]) => c === 'write_notice_for_printing')).toHaveLength(2)
    wrapper.unmount()
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'p', ctrlKey: true }))
    await flushPromises()
    expect(invoke.mock.calls.filter(([c]) => c === 'write_notice_for_printing')).toHaveLength(2)
  })

  it('shows a refused export where the user acted and clears the old result', async () => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    let writes = 0
    invoke.mockImplementation(async (command: string) => {
      if (command === 'write_notice' && ++writes > 1) {
        throw { code: 'invalid_input', message: '请填写完整的保存位置（以 / 开头的绝对路径）' }
      }
      return answer(command)
    })
    const wrapper = mount(NoticesScreen, {
      props: { overview, node: null, list: 5 },
      global: { plugins: [ElementPlus] },
    })
    await flushPromises()
    await wrapper.find('input[data-testid=notice-path]').setValue('/tmp/导出/公示.pdf')
    await wrapper.find('[data-testid=notice-export]').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-testid=notice-written]').exists()).toBe(true)
    await wrapper.find('input[data-testid=notice-path]').setValue('公示.pdf')
    await wrapper.find('[data-testid=notice-export]').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-testid=notice-export-error]').text()).toContain('绝对路径')
    expect(wrapper.find('[data-testid=notice-written]').exists()).toBe(false)
  })

  it('gives the path the extension of the format chosen after it (issue 18: a PDF was written as .xlsx)', async () => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    invoke.mockReset()
    invoke.mockImplementation(async (command: string) => (command === 'write_notice' ? '/tmp/导出/公示.pdf' : answer(command)))
    const wrapper = mount(NoticesScreen, {
      props: { overview, node: null, list: 5 },
      global: { plugins: [ElementPlus] },
    })
    await flushPromises()
    await wrapper.findAll('[data-testid=notice-format] input[type=radio]')[1]!.setValue(true) // Excel
    await wrapper.find('input[data-testid=notice-path]').setValue('/tmp/导出/公示.xlsx')
    await wrapper.findAll('[data-testid=notice-format] input[type=radio]')[0]!.setValue(true) // PDF
    await flushPromises()
    expect((wrapper.find('input[data-testid=notice-path]').element as HTMLInputElement).value).toBe('/tmp/导出/公示.pdf')
    await wrapper.find('[data-testid=notice-export]').trigger('click')
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('write_notice', expect.objectContaining({ format: 'pdf', path: '/tmp/导出/公示.pdf', replace: false }))
  })

  it('asks before replacing an existing file and writes only when told to', async () => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    invoke.mockReset()
    invoke.mockImplementation(async (command: string, args: { replace?: boolean }) => {
      if (command === 'write_notice' && !args.replace) throw { code: 'file_exists', message: '已有文件 /tmp/导出/公示.pdf，要替换它吗？' }
      return answer(command)
    })
    const wrapper = mount(NoticesScreen, {
      props: { overview, node: null, list: 5 },
      global: { plugins: [ElementPlus] },
      attachTo: document.body,
    })
    await flushPromises()
    await wrapper.find('input[data-testid=notice-path]').setValue('/tmp/导出/公示.pdf')

    // 不替换: nothing written, and the screen says the file was left alone.
    await wrapper.find('[data-testid=notice-export]').trigger('click')
    await flushPromises()
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(document.querySelector('.notice-replace-confirm')?.textContent).toContain('已有文件 /tmp/导出/公示.pdf')
    document.querySelector<HTMLButtonElement>('.notice-replace-confirm .el-message-box__btns button:first-child')?.click()
    await flushPromises()
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(invoke.mock.calls.filter(([c, a]) => c === 'write_notice' && (a as { replace: boolean }).replace)).toHaveLength(0)
    expect(wrapper.find('[data-testid=notice-export-error]').text()).toContain('已有的文件保持不变')
    expect(wrapper.find('[data-testid=notice-written]').exists()).toBe(false)

    // 替换: written again with replace.
    await wrapper.find('[data-testid=notice-export]').trigger('click')
    await flushPromises()
    await new Promise((resolve) => setTimeout(resolve, 50))
    const boxes = document.querySelectorAll('.notice-replace-confirm')
    boxes[boxes.length - 1]!.querySelector<HTMLButtonElement>('.el-message-box__btns .el-button--primary')?.click()
    await flushPromises()
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(invoke).toHaveBeenCalledWith('write_notice', expect.objectContaining({ path: '/tmp/导出/公示.pdf', replace: true }))
    expect(wrapper.find('[data-testid=notice-written]').text()).toContain('/tmp/导出/公示.pdf')
  })

  it('publishes every part of a street: its lists from the backend, each with its default columns', async () => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    invoke.mockReset()
    invoke.mockImplementation(async (command: string) => (command === 'notice_lists_of' ? [7, 8, 9] : answer(command)))
    const street = {
      id: 2,
      name: '青溪街道',
      level: '街道' as const,
      designation: null,
      org_template: null,
      unit_count: 0,
      list_count: 3,
      item_count: 0,
      total_item_count: 0,
      children: [],
    }
    const wrapper = mount(NoticesScreen, {
      props: { overview: { ...overview, tree: [{ ...street, id: 1, name: '青川区', level: '区' as const, children: [street] }] }, node: 2, list: null },
      global: { plugins: [ElementPlus] },
    })
    await flushPromises()
    await wrapper.find('[data-testid=notice-preview]').trigger('click')
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('notice_lists_of', { jurisdiction: 2 })
    const request = invoke.mock.calls.find(([c]) => c === 'notice_preview')?.[1] as { request: Record<string, unknown> }
    expect(request.request).toMatchObject({ lists: [7, 8, 9], columns: [], title: null })
  })
})
