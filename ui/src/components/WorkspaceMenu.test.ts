import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import type { RecentFile } from '../api'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...args: unknown[]) => invoke(...args) }))
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: vi.fn(), save: vi.fn() }))
const { default: WorkspaceMenu } = await import('./WorkspaceMenu.vue')

const files: RecentFile[] = [
  { path: '/d/当前.db', opened_at: '2026-11-23 09:00', exists: true },
  { path: '/d/旧.db', opened_at: '2026-11-20 10:00', exists: false },
  { path: '/e/另一个.db', opened_at: '2026-11-19 08:30', exists: true },
]

describe('WorkspaceMenu', () => {
  it('lists recent files, greys the missing one without 打开, forgets it, and switches to another', async () => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    let stored = [...files]
    invoke.mockImplementation((command: string, args: { path?: string }) => {
      if (command === 'recent_files') return Promise.resolve(stored)
      if (command === 'forget_recent_file') {
        stored = stored.filter((f) => f.path !== args.path)
        return Promise.resolve(stored)
      }
      if (command === 'open_database') {
        if (args.path === '/坏.db') return Promise.reject({ code: 'not_a_database', message: '该文件不是权责清单数据库' })
        return Promise.resolve(stored)
      }
      return Promise.reject({ code: 'internal', message: command })
    })
    const wrapper = mount(WorkspaceMenu, {
      props: { currentPath: '/d/当前.db' },
      global: { plugins: [ElementPlus] },
      attachTo: document.body,
    })
    await (wrapper.vm as unknown as { showRecent: () => Promise<void> }).showRecent()
    await flushPromises()
    const rows = () => [...document.querySelectorAll<HTMLElement>('[data-testid=recent-file]')]
    expect(rows().map((r) => r.dataset.path)).toEqual(['/d/当前.db', '/d/旧.db', '/e/另一个.db'])
    const missing = rows()[1]!
    expect(missing.classList.contains('missing')).toBe(true)
    expect(missing.textContent).toContain('文件不存在')
    expect(missing.querySelector('[data-testid=recent-file-open]')).toBeNull()
    // The current file offers no 打开 either.
    expect(rows()[0]!.querySelector('[data-testid=recent-file-open]')).toBeNull()

    missing.querySelector<HTMLButtonElement>('[data-testid=recent-file-forget]')!.click()
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('forget_recent_file', { path: '/d/旧.db' })
    expect(rows().map((r) => r.dataset.path)).toEqual(['/d/当前.db', '/e/另一个.db'])

    // A typed path that is no database: refused in the dialog, nothing switched.
    const input = document.querySelector<HTMLInputElement>('input[data-testid=database-path-input]')!
    input.value = '/坏.db'
    input.dispatchEvent(new Event('input'))
    await flushPromises()
    document.querySelector<HTMLButtonElement>('[data-testid=database-path-open]')!.click()
    await flushPromises()
    expect(document.querySelector('[data-testid=workspace-error]')?.textContent).toContain('该文件不是权责清单数据库')
    expect(wrapper.emitted('switched')).toBeUndefined()

    rows()[1]!.querySelector<HTMLButtonElement>('[data-testid=recent-file-open]')!.click()
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('open_database', { path: '/e/另一个.db' })
    expect(wrapper.emitted('switched')).toEqual([['/e/另一个.db']])
    wrapper.unmount()
    delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__
  })

  // Issue 18: the audit log said 本机用户 (or the OS login) for every change made in the app.
  it('sets the 操作人 the audit log records, and shows the refusal of a bad name', async () => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    invoke.mockReset()
    let stored = { name: 'user', chosen: false }
    invoke.mockImplementation((command: string, args: { name?: string }) => {
      if (command === 'operator') return Promise.resolve(stored)
      if (command === 'set_operator') {
        if ((args.name ?? '').length > 40) return Promise.reject({ code: 'invalid_input', message: '操作人姓名过长（最多 40 个字）' })
        stored = { name: args.name!.trim(), chosen: true }
        return Promise.resolve(stored)
      }
      return Promise.reject({ code: 'internal', message: command })
    })
    const wrapper = mount(WorkspaceMenu, { props: { currentPath: null }, global: { plugins: [ElementPlus] }, attachTo: document.body })
    await flushPromises()
    ;(wrapper.vm as unknown as { showOperator: () => void }).showOperator()
    await flushPromises()
    expect(document.querySelector('[data-testid=operator-form]')).not.toBeNull()
    expect(document.body.textContent).toContain('留空则使用系统用户名（user）')
    const input = document.querySelector<HTMLInputElement>('input[data-testid=operator-name]')!
    input.value = '长'.repeat(41)
    input.dispatchEvent(new Event('input'))
    await flushPromises()
    document.querySelector<HTMLButtonElement>('[data-testid=operator-save]')!.click()
    await flushPromises()
    expect(document.querySelector('[data-testid=operator-error]')?.textContent).toContain('过长')
    input.value = '王芳'
    input.dispatchEvent(new Event('input'))
    await flushPromises()
    document.querySelector<HTMLButtonElement>('[data-testid=operator-save]')!.click()
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('set_operator', { name: '王芳' })
    expect((wrapper.vm as unknown as { operator: { name: string; chosen: boolean } }).operator).toEqual({ name: '王芳', chosen: true })
    wrapper.unmount()
    delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__
  })

  it('a server among the recent files opens 连接服务器 filled in but for the password', async () => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    invoke.mockReset()
    const address = { host: '192.168.1.10', port: 5432, database: 'quanze_district', account: 'li_ming' }
    const path = 'postgresql://li_ming@192.168.1.10:5432/quanze_district'
    const stored: RecentFile[] = [files[0]!, { path, opened_at: '2026-12-06 09:00', exists: true, server: address }]
    invoke.mockImplementation((command: string) => {
      if (command === 'recent_files') return Promise.resolve(stored)
      if (command === 'operator') return Promise.resolve({ name: 'user', chosen: false })
      if (command === 'connect_server') return Promise.resolve([stored[1], stored[0]])
      return Promise.reject({ code: 'internal', message: command })
    })
    const wrapper = mount(WorkspaceMenu, { props: { currentPath: '/d/当前.db' }, global: { plugins: [ElementPlus] }, attachTo: document.body })
    await (wrapper.vm as unknown as { showRecent: () => Promise<void> }).showRecent()
    await flushPromises()
    const row = document.querySelector<HTMLElement>(`[data-testid=recent-file][data-path="${path}"]`)!
    expect(row.textContent).toContain('服务器 192.168.1.10:5432 · 账号 li_ming')
    row.querySelector<HTMLButtonElement>('[data-testid=recent-file-open]')!.click()
    await flushPromises()
    expect(invoke).not.toHaveBeenCalledWith('open_database', expect.anything())
    const input = (name: string) => {
      const found = document.querySelector<HTMLElement>(`[data-testid=server-${name}]`)!
      return (found instanceof HTMLInputElement ? found : found.querySelector('input'))!
    }
    expect(input('account').value).toBe('li_ming')
    expect(input('password').value).toBe('')
    input('password').value = '新密码'
    input('password').dispatchEvent(new Event('input'))
    await flushPromises()
    document.querySelector<HTMLButtonElement>('[data-testid=server-connect]')!.click()
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('connect_server', { login: { address, password: '新密码' } })
    expect(wrapper.emitted('switched')).toEqual([[path]])
    wrapper.unmount()
    delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__
  })
})
