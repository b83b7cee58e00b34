import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import type { ExportRequest, ExportSummary } from '../api'
import { node } from '../lib/fixtures'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...args: unknown[]) => invoke(...args) }))
const save = vi.fn()
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: vi.fn(), save: (...args: unknown[]) => save(...args) }))
const { default: ExportPackageDialog } = await import('./ExportPackageDialog.vue')

const street = node(12, '青溪街道', '街道')
let mounted: VueWrapper | null = null

function summaryOf(out: string, request: ExportRequest): ExportSummary {
  return {
    path: out,
    package: {
      uid: '0190a0b0-0000-7000-8000-000000000001',
      office: request.office,
      actor: '区经办人',
      made_at: '2026-12-01T09:00:00+08:00',
      jurisdiction: '青溪街道',
      content_sha256: 'cd'.repeat(32),
    },
    lists: 14,
    items: 1234,
    bytes: 5678,
  }
}

function mountDialog() {
  invoke.mockImplementation(async (command: string, args: { request: ExportRequest; out: string }) => {
    if (command === 'default_office') return '青川区委编办'
    if (command === 'export_package') {
      if (!args.out.startsWith('/')) throw { code: 'invalid_input', message: '请填写完整的保存位置（绝对路径）' }
      return summaryOf(args.out, args.request)
    }
    throw { code: 'internal', message: `unexpected ${command}` }
  })
  mounted = mount(ExportPackageDialog, {
    props: { modelValue: true, jurisdiction: street },
    global: { plugins: [ElementPlus] },
    attachTo: document.body,
  })
  return mounted
}

const q = <T extends Element = HTMLElement>(selector: string) => document.querySelector<T>(selector)
const text = (selector: string) => q(selector)?.textContent?.replace(/\s+/g, ' ').trim() ?? ''
const input = (id: string) => q<HTMLInputElement>(`input[data-testid=${id}]`)!

describe('ExportPackageDialog', () => {
  beforeEach(() => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    invoke.mockReset()
    save.mockReset()
  })
  afterEach(() => {
    mounted?.unmount()
    mounted = null
    expect(q('[data-testid=export-package-dialog]')).toBeNull()
    delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__
  })

  it('prefills 发出单位, offers <辖区名>.qzb.yaml in the save dialog, and shows what was written', async () => {
    mountDialog()
    await flushPromises()
    expect(input('export-package-office').value).toBe('青川区委编办')

    save.mockResolvedValueOnce('/交换/青溪街道.qzb.yaml')
    q<HTMLButtonElement>('[data-testid=export-package-choose]')!.click()
    await flushPromises()
    expect(save).toHaveBeenCalledWith(expect.objectContaining({ defaultPath: '/tmp/青溪街道.qzb.yaml' }))
    expect(input('export-package-path').value).toBe('/交换/青溪街道.qzb.yaml')

    q<HTMLButtonElement>('[data-testid=export-package-submit]')!.click()
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('export_package', {
      request: { jurisdiction: 12, lists: [], office: '青川区委编办' },
      out: '/交换/青溪街道.qzb.yaml',
    })
    expect(text('[data-testid=export-package-counts]')).toBe('清单 14 个，事项 1,234 项')
    expect(text('[data-testid=export-package-checksum]')).toBe('cd'.repeat(32))
    expect(text('[data-testid=written-file] code')).toBe('/交换/青溪街道.qzb.yaml')
    expect(q('[data-testid=written-open-folder]')).not.toBeNull()
  })

  it('shows the refusal of a relative path, and writes nothing', async () => {
    mountDialog()
    await flushPromises()
    const path = input('export-package-path')
    path.value = '青溪街道.qzb.yaml'
    path.dispatchEvent(new Event('input'))
    await flushPromises()
    q<HTMLButtonElement>('[data-testid=export-package-submit]')!.click()
    await flushPromises()
    expect(text('[data-testid=export-package-error]')).toContain('绝对路径')
    expect(q('[data-testid=export-package-written]')).toBeNull()
  })
})
