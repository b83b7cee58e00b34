import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import type { MergeOptions, MergeReport } from '../api'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...args: unknown[]) => invoke(...args) }))
const openDialog = vi.fn()
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: (...args: unknown[]) => openDialog(...args), save: vi.fn() }))
const { default: MergePackageDialog } = await import('./MergePackageDialog.vue')

const PATH = '/收件/青溪街道-回.qzb.yaml'
const LIST = '青溪街道基本履职事项清单'
const package_ = {
  uid: '0190a0b0-0000-7000-8000-000000000001',
  office: '青溪街道',
  actor: '街道经办人',
  made_at: '2026-12-05T10:00:00+08:00',
  jurisdiction: '青溪街道',
  content_sha256: 'ab'.repeat(32),
}
const base = { ...package_, uid: '0190a0b0-0000-7000-8000-000000000000', office: '青川区委编办', actor: '区经办人', made_at: '2026-12-01T09:00:00+08:00' }

function sampleReport(): MergeReport {
  return {
    package: package_,
    base,
    added: [{ entity: '事项', id: 'u-add', label: '街道新增的事项', list: LIST }],
    changed: [
      { entity: '事项', id: 'u-1', label: '街道改过的名称', list: LIST, field: 'name', field_label: '事项名称', before: '原来的名称', after: '街道改过的名称' },
      { entity: '事项', id: 'u-2', label: '门前三包', list: LIST, field: 'remarks', field_label: '备注', before: null, after: '<b>不是标记</b>' },
      { entity: '机构', id: 'u-3', label: '综合执法队', field: 'staffing.admin_posts', field_label: '行政编制', before: 5, after: 6 },
    ],
    removed: [{ entity: '事项', id: 'u-del', label: '废止的事项', list: LIST }],
    conflicts: [
      { entity: '事项', id: 'u-4', label: '消防巡查', list: LIST, field: 'remarks', field_label: '备注', base: null, ours: '区里的备注', theirs: '街道的备注' },
      { entity: '事项', id: 'u-5', label: '垃圾分类', list: LIST, field: '*', field_label: '整个事项', base: '垃圾分类', ours: '已修改', theirs: '已删除' },
      { entity: '事项', id: 'u-6', label: '占道经营', list: LIST, field: 'units', field_label: '承办机构', base: ['城管科'], ours: ['城管科', '执法队'], theirs: [] },
    ],
    unchanged: 41,
    applied: false,
  }
}

type Handler = (path: string, options: MergeOptions) => MergeReport | Promise<MergeReport>
let onMerge: Handler
let mounted: VueWrapper | null = null

function mountDialog() {
  invoke.mockImplementation(async (command: string, args: { path: string; options: MergeOptions }) => {
    if (command === 'merge_package') return onMerge(args.path, args.options)
    throw { code: 'internal', message: `unexpected ${command}` }
  })
  const wrapper = mount(MergePackageDialog, {
    props: { modelValue: true },
    global: { plugins: [ElementPlus] },
    attachTo: document.body,
  })
  mounted = wrapper
  return wrapper
}

const q = <T extends Element = HTMLElement>(selector: string) => document.querySelector<T>(selector)
const all = (selector: string) => [...document.querySelectorAll<HTMLElement>(selector)]
const text = (selector: string) => q(selector)?.textContent?.replace(/\s+/g, ' ').trim() ?? ''
const submit = () => q<HTMLButtonElement>('[data-testid=merge-package-submit]')!

async function typePathAndCompare(wrapper: ReturnType<typeof mountDialog>, path = PATH) {
  await flushPromises()
  const input = q<HTMLInputElement>('input[data-testid=merge-package-path]')!
  input.value = path
  input.dispatchEvent(new Event('input'))
  await flushPromises()
  q<HTMLButtonElement>('[data-testid=merge-package-compare]')!.click()
  await flushPromises()
  return wrapper
}

/** Click the per-row choice of the conflict row `index`. */
async function take(index: number, side: 'ours' | 'theirs') {
  const row = all('[data-testid=merge-conflict-row]')[index]!
  row.querySelector<HTMLInputElement>(`[data-testid=merge-take-${side}] input`)!.click()
  await flushPromises()
}

describe('MergePackageDialog', () => {
  beforeEach(() => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    invoke.mockReset()
    onMerge = () => sampleReport()
  })
  afterEach(() => {
    mounted?.unmount()
    mounted = null
    // Each test's dialog is gone, so the next one's queries find only its own.
    expect(q('[data-testid=merge-package-dialog]')).toBeNull()
    delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__
  })

  it('shows the three-way report: package and base, counts, each part, values as text', async () => {
    await typePathAndCompare(mountDialog())
    expect(invoke).toHaveBeenCalledWith('merge_package', { path: PATH, options: { dry_run: true, decisions: [] } })

    expect(text('[data-testid=merge-report-package]')).toBe(`数据包：青溪街道（青溪街道，街道经办人，${package_.made_at}）`)
    expect(text('[data-testid=merge-report-base]')).toBe(`比较基准：青川区委编办 于 ${base.made_at} 发出的数据包`)
    expect(text('[data-testid=merge-report-counts]')).toBe('新增 1，修改 3，删除 1，冲突 3，相同 41')

    expect(all('[data-testid=merge-added-row]').map((r) => r.textContent)).toEqual([`事项街道新增的事项（${LIST}）`])
    expect(all('[data-testid=merge-removed-row]').map((r) => r.textContent)).toEqual([`事项废止的事项（${LIST}）`])
    const changed = all('[data-testid=merge-changed-row]').map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent))
    expect(changed).toEqual([
      ['事项', `街道改过的名称（${LIST}）`, '事项名称', '原来的名称', '街道改过的名称'],
      ['事项', `门前三包（${LIST}）`, '备注', '（空）', '<b>不是标记</b>'],
      ['机构', '综合执法队', '行政编制', '5', '6'],
    ])
    // Text stays text: the package's content is never markup.
    expect(q('[data-testid=merge-changed] b')).toBeNull()

    const conflicts = all('[data-testid=merge-conflict-row]').map((r) => [...r.querySelectorAll('td')].slice(0, 6).map((td) => td.textContent))
    expect(conflicts).toEqual([
      ['事项', `消防巡查（${LIST}）`, '备注', '（空）', '区里的备注', '街道的备注'],
      ['事项', `垃圾分类（${LIST}）`, '整个事项', '垃圾分类', '已修改', '已删除'],
      ['事项', `占道经营（${LIST}）`, '承办机构', '城管科', '城管科、执法队', '（空）'],
    ])
    expect(text('[data-testid=merge-undecided]')).toBe('还有 3 处未决定')
  })

  it('says when there is no base: every difference is a conflict', async () => {
    onMerge = () => ({ ...sampleReport(), base: undefined })
    await typePathAndCompare(mountDialog())
    expect(text('[data-testid=merge-report-base]')).toContain('无基准：两边不同之处均为冲突')
  })

  it('offers 合并 only once every conflict is decided, per row or all at once', async () => {
    const wrapper = mountDialog()
    await flushPromises()
    expect(submit().disabled).toBe(true) // nothing compared yet
    await typePathAndCompare(wrapper)
    expect(submit().disabled).toBe(true)

    await take(0, 'theirs')
    await take(2, 'ours')
    expect(text('[data-testid=merge-undecided]')).toBe('还有 1 处未决定')
    expect(submit().disabled).toBe(true)
    await take(1, 'ours')
    expect(text('[data-testid=merge-undecided]')).toBe('已全部决定')
    expect(submit().disabled).toBe(false)

    // Another file typed: the report goes, and with it the way to merge.
    const input = q<HTMLInputElement>('input[data-testid=merge-package-path]')!
    input.value = '/收件/另一个.qzb.yaml'
    input.dispatchEvent(new Event('input'))
    await flushPromises()
    expect(q('[data-testid=merge-report]')).toBeNull()
    expect(submit().disabled).toBe(true)

    await typePathAndCompare(wrapper)
    expect(submit().disabled).toBe(true)
    q<HTMLButtonElement>('[data-testid=merge-all-theirs]')!.click()
    await flushPromises()
    expect(submit().disabled).toBe(false)
  })

  it('compares afresh when opened again, keeping the choices of conflicts still there', async () => {
    const wrapper = await typePathAndCompare(mountDialog())
    await take(0, 'theirs')
    await take(1, 'ours')
    await wrapper.setProps({ modelValue: false })
    await flushPromises()
    // Meanwhile the second conflict went away (say, the user made both sides agree).
    onMerge = () => {
      const now = sampleReport()
      now.conflicts.splice(1, 1)
      return now
    }
    invoke.mockClear()
    await wrapper.setProps({ modelValue: true })
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('merge_package', { path: PATH, options: { dry_run: true, decisions: [] } })
    expect(all('[data-testid=merge-conflict-row]').map((r) => r.dataset.id)).toEqual(['u-4', 'u-6'])
    expect(text('[data-testid=merge-undecided]')).toBe('还有 1 处未决定')
    await take(1, 'ours')
    expect(submit().disabled).toBe(false)
  })

  it('sends one decision per conflict with the side chosen, then says 已合并 and tells the app', async () => {
    let sent: MergeOptions | null = null
    onMerge = (_path, options) => {
      if (options.dry_run) return sampleReport()
      sent = options
      const decided = sampleReport()
      decided.conflicts = decided.conflicts.map((c) => ({ ...c, resolution: options.decisions.find((d) => d.id === c.id)!.take }))
      return { ...decided, applied: true }
    }
    const wrapper = await typePathAndCompare(mountDialog())
    q<HTMLButtonElement>('[data-testid=merge-all-ours]')!.click()
    await flushPromises()
    await take(1, 'theirs')
    submit().click()
    await flushPromises()

    expect(invoke).toHaveBeenLastCalledWith('merge_package', { path: PATH, options: sent })
    expect(sent).toEqual({
      dry_run: false,
      decisions: [
        { id: 'u-4', field: 'remarks', take: 'ours' },
        { id: 'u-5', field: '*', take: 'theirs' },
        { id: 'u-6', field: 'units', take: 'ours' },
      ],
    })
    expect(text('[data-testid=merge-package-merged]')).toBe('已合并（新增 1，修改 3，删除 1，冲突 3，相同 41），已记入操作日志。')
    expect(wrapper.emitted('merged')?.[0]?.[0]).toMatchObject({ applied: true })
    expect(submit().disabled).toBe(true) // merged once
  })

  it('merges a report without conflicts at once, with no decisions', async () => {
    onMerge = (_path, options) => ({ ...sampleReport(), conflicts: [], applied: !options.dry_run })
    const wrapper = await typePathAndCompare(mountDialog())
    expect(q('[data-testid=merge-conflicts]')).toBeNull()
    expect(submit().disabled).toBe(false)
    submit().click()
    await flushPromises()
    expect(invoke).toHaveBeenLastCalledWith('merge_package', { path: PATH, options: { dry_run: false, decisions: [] } })
    expect(wrapper.emitted('merged')).toHaveLength(1)
  })

  it('shows the backend message of a damaged package, and no report', async () => {
    onMerge = () => {
      throw { code: 'invalid_bundle', message: `${PATH} 不是有效的数据包：内容已损坏或被改动（校验值不符）` }
    }
    const wrapper = await typePathAndCompare(mountDialog())
    expect(text('[data-testid=merge-package-error]')).toContain('已损坏或被改动')
    expect(q('[data-testid=merge-report]')).toBeNull()
    expect(submit().disabled).toBe(true)
    expect(wrapper.emitted('merged')).toBeUndefined()
  })

  it('asks for a file before comparing, and takes one from the system dialog', async () => {
    mountDialog()
    await flushPromises()
    q<HTMLButtonElement>('[data-testid=merge-package-compare]')!.click()
    await flushPromises()
    expect(text('[data-testid=merge-package-error]')).toBe('请填写或选择数据包文件')
    expect(invoke).not.toHaveBeenCalled()

    openDialog.mockResolvedValueOnce(PATH)
    q<HTMLButtonElement>('[data-testid=merge-package-choose]')!.click()
    await flushPromises()
    expect(q<HTMLInputElement>('input[data-testid=merge-package-path]')!.value).toBe(PATH)
  })
})
