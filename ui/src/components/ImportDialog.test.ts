import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import type { ImportOptions, ImportPreview, ImportReport, ListUpdate } from '../api'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...args: unknown[]) => invoke(...args), Channel: class { onmessage = () => {} } }))
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: vi.fn(), save: vi.fn() }))
const { default: ImportDialog } = await import('./ImportDialog.vue')

const PATH = '/收件/青川区水务局权责清单.xlsx'
const LIST = '青川区水务局权责清单'

// Only what the dialog shows of a preview.
const preview = {
  path: PATH,
  format: 'xlsx',
  encoding: null,
  department: { value: '青川区水务局', source: '文件名' },
  items: 3,
  sheets: [
    {
      report: { name: '行政许可', items: 3, header_row: 2, mapping: [], warnings: [], note: null, merged_rows: [], skipped: [], blank_rows: 0 },
      raw_rows: [],
      items: [],
      error: null,
    },
  ],
} as unknown as ImportPreview

function update(): ListUpdate {
  return {
    list: LIST,
    list_id: 7,
    added: [{ entity: '事项', id: '', label: '取水许可（延续）', list: LIST }],
    changed: [{ entity: '事项', id: 'u-1', label: '河道采砂许可', list: LIST, field: 'basis', field_label: '实施依据', before: '《水法》第三十九条', after: '<i>《河道管理条例》</i>' }],
    changed_items: 1,
    removed: [{ entity: '事项', id: 'u-2', label: '已取消的审批', list: LIST }],
    unchanged: 40,
  }
}

function report(dryRun: boolean, updates: ListUpdate[]): ImportReport {
  return {
    items: 42,
    dry_run: dryRun,
    created_jurisdictions: [],
    created_units: [],
    files: [{ path: PATH, format: 'xlsx', encoding: null, unit: '青川区水务局', list: LIST, list_id: 7, items: 42, sheets: [], jurisdiction: '青川区' }],
    skipped_files: [],
    updates,
  } as unknown as ImportReport
}

let mounted: VueWrapper | null = null
beforeEach(() => {
  ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
})
afterEach(() => {
  delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__
  mounted?.unmount()
  mounted = null
  invoke.mockReset()
  document.body.innerHTML = ''
})

/** The dialog with a previewed workbook; `onImport` answers each `import_files`. */
async function previewed(onImport: (options: ImportOptions) => ImportReport) {
  invoke.mockImplementation(async (command: string, args: { options: ImportOptions }) => {
    if (command === 'import_preview') return preview
    if (command === 'import_files') return onImport(args.options)
    throw { code: 'internal', message: `unexpected ${command}` }
  })
  const wrapper = mount(ImportDialog, {
    props: { modelValue: true, tree: [] },
    global: { plugins: [ElementPlus] },
    attachTo: document.body,
  })
  mounted = wrapper
  await flushPromises()
  const path = document.querySelector<HTMLInputElement>('input[data-testid=import-path]')
  if (!path) throw new Error('no path input')
  path.value = PATH
  path.dispatchEvent(new Event('input'))
  await flushPromises()
  document.querySelector<HTMLButtonElement>('[data-testid=import-preview]')?.click()
  await flushPromises()
  if (!document.querySelector('[data-testid=import-preview-result]')) throw new Error(`no preview: ${document.body.textContent}`)
  return wrapper
}

function importCalls(): ImportOptions[] {
  return invoke.mock.calls.filter(([command]) => command === 'import_files').map(([, args]) => (args as { options: ImportOptions }).options)
}

async function clickImport() {
  document.querySelector<HTMLButtonElement>('[data-testid=import-commit]')?.click()
  await flushPromises()
}

function confirmBox(): HTMLElement | null {
  return document.querySelector<HTMLElement>('.import-update-confirm')
}

describe('ImportDialog, a workbook imported again into its list', () => {
  it('asks first, naming what would be added, changed and deleted, and imports only when the user agrees', async () => {
    await previewed((options) => report(options.dry_run, [update()]))
    await clickImport()
    const box = confirmBox()
    expect(box?.textContent).toContain(`清单“${LIST}”按工作簿更新：新增 1，修改 1，删除 1，相同 40`)
    expect(box?.textContent).toContain('1 个事项将从清单中删除')
    expect(importCalls().map((o) => o.dry_run)).toEqual([true])
    box?.querySelector<HTMLButtonElement>('.el-message-box__btns .el-button--primary')?.click()
    await flushPromises()
    await new Promise((resolve) => setTimeout(resolve, 0))
    await flushPromises()
    expect(importCalls().map((o) => o.dry_run)).toEqual([true, false])
    const shown = document.querySelector('[data-testid=import-update]')?.textContent ?? ''
    expect(shown).toContain('新增 1，修改 1，删除 1，相同 40')
    expect(document.querySelector('[data-testid=import-update-changed]')?.textContent).toContain('<i>《河道管理条例》</i>')
    expect(document.querySelector('[data-testid=import-update-changed] i')).toBeNull()
    expect(document.querySelector('[data-testid=import-update-removed]')?.textContent).toContain('已取消的审批')
  })

  it('writes nothing when the user declines, and says the list stays as it was', async () => {
    await previewed((options) => report(options.dry_run, [update()]))
    await clickImport()
    confirmBox()?.querySelector<HTMLButtonElement>('.el-message-box__btns .el-button:not(.el-button--primary)')?.click()
    await flushPromises()
    await new Promise((resolve) => setTimeout(resolve, 0))
    await flushPromises()
    expect(importCalls().map((o) => o.dry_run)).toEqual([true])
    expect(document.querySelector('[data-testid=import-error]')?.textContent).toContain('已有清单保持不变')
  })

  it('imports into a new list without asking', async () => {
    await previewed((options) => report(options.dry_run, []))
    await clickImport()
    expect(confirmBox()).toBeNull()
    expect(importCalls().map((o) => o.dry_run)).toEqual([true, false])
    expect(document.querySelector('[data-testid=import-report]')?.textContent).toContain('已导入 42 个事项')
  })
})

describe('ImportDialog, the 机构 box (issue 18: a second workbook filed under the first one\'s department)', () => {
  const previewOf = (path: string, department: string) => ({ ...preview, path, department: { value: department, source: '标题' } }) as ImportPreview
  const A = '/收件/青川区水务局权责清单.xlsx'
  const B = '/收件/青川区民政局权责清单.xlsx'

  async function previewFile(path: string) {
    const input = document.querySelector<HTMLInputElement>('input[data-testid=import-path]')!
    input.value = path
    input.dispatchEvent(new Event('input'))
    await flushPromises()
    document.querySelector<HTMLButtonElement>('[data-testid=import-preview]')!.click()
    await flushPromises()
  }
  const unitBox = () => document.querySelector<HTMLInputElement>('input[data-testid=import-unit]')!

  function answering() {
    invoke.mockImplementation(async (command: string, args: { path: string; options: ImportOptions }) => {
      if (command === 'import_preview') return args.path === B ? previewOf(B, '青川区民政局') : previewOf(A, '青川区水务局')
      if (command === 'import_files') return report(args.options.dry_run, [])
      throw { code: 'internal', message: `unexpected ${command}` }
    })
  }

  it('holds the department of the file previewed now, after an import and reopening the dialog', async () => {
    answering()
    const wrapper = mount(ImportDialog, { props: { modelValue: true, tree: [] }, global: { plugins: [ElementPlus] }, attachTo: document.body })
    mounted = wrapper
    await flushPromises()
    await previewFile(A)
    expect(unitBox().value).toBe('青川区水务局')
    await clickImport()
    expect(importCalls().at(-1)?.unit).toBe('青川区水务局')

    // Closed and opened again for the next workbook.
    await wrapper.setProps({ modelValue: false })
    await flushPromises()
    await new Promise((resolve) => setTimeout(resolve, 400))
    await flushPromises()
    await wrapper.setProps({ modelValue: true })
    await flushPromises()
    await previewFile(B)
    expect(document.querySelector('[data-testid=import-preview-result]')?.textContent).toContain('推断的部门：青川区民政局')
    expect(unitBox().value).toBe('青川区民政局')
    await clickImport()
    expect(importCalls().at(-1)?.unit).toBe('青川区民政局')
  })

  it('follows a new file previewed in the same dialog, keeps a department the user typed and warns of it', async () => {
    answering()
    mounted = mount(ImportDialog, { props: { modelValue: true, tree: [] }, global: { plugins: [ElementPlus] }, attachTo: document.body })
    await flushPromises()
    await previewFile(A)
    await previewFile(B)
    expect(unitBox().value).toBe('青川区民政局')
    expect(document.querySelector('[data-testid=import-unit-differs]')).toBeNull()

    unitBox().value = '青川区水务局'
    unitBox().dispatchEvent(new Event('input'))
    await flushPromises()
    await previewFile(B)
    expect(unitBox().value).toBe('青川区水务局')
    expect(document.querySelector('[data-testid=import-unit-differs]')?.textContent).toContain('工作簿推断的部门是“青川区民政局”')
  })
})

describe('ImportDialog, 撤销导入', () => {
  it('takes the import back after a confirmation and says what was deleted', async () => {
    const wrapper = await previewed((options) => report(options.dry_run, []))
    const base = invoke.getMockImplementation()!
    invoke.mockImplementation(async (command: string, args: unknown) => {
      if (command === 'undo_import') {
        return { import: '导入 青川区水务局权责清单.xlsx', lists: [7], deleted_lists: [LIST], deleted_units: ['青川区水务局'], deleted_jurisdictions: [] }
      }
      return base(command, args)
    })
    await clickImport()
    expect(wrapper.emitted('imported')?.[0]).toEqual([7, [7]])
    document.querySelector<HTMLButtonElement>('[data-testid=import-undo]')!.click()
    await flushPromises()
    await new Promise((resolve) => setTimeout(resolve, 50))
    document.querySelector<HTMLButtonElement>('.import-undo-confirm .el-message-box__btns .el-button--primary')!.click()
    await flushPromises()
    await new Promise((resolve) => setTimeout(resolve, 50))
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('undo_import', undefined)
    const shown = document.querySelector('[data-testid=import-undone]')?.textContent ?? ''
    expect(shown).toContain('已撤销：导入 青川区水务局权责清单.xlsx')
    expect(shown).toContain(`已删除导入时新建的清单：${LIST}`)
    expect(shown).toContain('已删除导入时新建的机构：青川区水务局')
    expect(wrapper.emitted('undone')).toHaveLength(1)
    expect(document.querySelector('[data-testid=import-undo]')).toBeNull()
  })
})

describe('ImportDialog, friction of a first day (issue 18)', () => {
  it('opens a workbook with 选择…, and names each sheet without a second count in its tab', async () => {
    const dialog = await import('@tauri-apps/plugin-dialog')
    vi.mocked(dialog.open).mockResolvedValue(PATH)
    const named = { ...preview, sheets: [{ ...preview.sheets[0]!, report: { ...preview.sheets[0]!.report, name: '行政征收（ 1 项）' } }] } as ImportPreview
    invoke.mockImplementation(async (command: string) => {
      if (command === 'import_preview') return named
      throw { code: 'internal', message: `unexpected ${command}` }
    })
    mounted = mount(ImportDialog, { props: { modelValue: true, tree: [] }, global: { plugins: [ElementPlus] }, attachTo: document.body })
    await flushPromises()
    document.querySelector<HTMLButtonElement>('[data-testid=import-choose]')!.click()
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('import_preview', expect.objectContaining({ path: PATH }))
    expect(document.querySelector<HTMLInputElement>('input[data-testid=import-path]')!.value).toBe(PATH)
    const tab = document.querySelector('.el-tabs__item')?.textContent ?? ''
    expect(tab.trim()).toBe('行政征收（ 1 项）')
    expect(document.querySelector('[data-testid=import-sheet-count]')?.textContent).toContain('此工作表读出 3 个事项')
  })

  it('asks before filing a 市 department under the district of another place', async () => {
    const city = { ...preview, department: { value: '克拉玛依市生态环境局', source: '标题' } } as ImportPreview
    invoke.mockImplementation(async (command: string, args: { options: ImportOptions }) => {
      if (command === 'import_preview') return city
      if (command === 'import_files') return report(args.options.dry_run, [])
      throw { code: 'internal', message: `unexpected ${command}` }
    })
    const tree = [{ id: 1, name: '青川区', level: '区', children: [] }] as unknown as never[]
    mounted = mount(ImportDialog, { props: { modelValue: true, tree }, global: { plugins: [ElementPlus] }, attachTo: document.body })
    await flushPromises()
    const input = document.querySelector<HTMLInputElement>('input[data-testid=import-path]')!
    input.value = PATH
    input.dispatchEvent(new Event('input'))
    await flushPromises()
    document.querySelector<HTMLButtonElement>('[data-testid=import-preview]')!.click()
    await flushPromises()
    await clickImport()
    await new Promise((resolve) => setTimeout(resolve, 50))
    const box = document.querySelector('.import-place-confirm')
    expect(box?.textContent).toContain('“克拉玛依市生态环境局”看起来是克拉玛依市的部门，却将放在“青川区”下')
    box!.querySelector<HTMLButtonElement>('.el-message-box__btns .el-button:not(.el-button--primary)')!.click()
    await flushPromises()
    await new Promise((resolve) => setTimeout(resolve, 50))
    await flushPromises()
    expect(importCalls()).toEqual([])
    expect(document.querySelector('[data-testid=import-error]')?.textContent).toContain('未导入')
  })
})
