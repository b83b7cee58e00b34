import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import type { BackupFile } from '../api'
import { formatBytes } from '../lib/backups'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...args: unknown[]) => invoke(...args) }))
const openDialog = vi.fn()
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: (...args: unknown[]) => openDialog(...args), save: vi.fn() }))
const { default: BackupDialog } = await import('./BackupDialog.vue')

const folder = '/d/权责.db.备份'
const older: BackupFile = {
  path: `${folder}/2026-12-01_09-00-00-000_导入前.db`,
  file_name: '2026-12-01_09-00-00-000_导入前.db',
  created_at: '2026-12-01 09:00:00',
  reason: '导入前',
  bytes: 5_347_737,
}
const made: BackupFile = {
  path: `${folder}/2026-12-04_18-00-00-000_手动.db`,
  file_name: '2026-12-04_18-00-00-000_手动.db',
  created_at: '2026-12-04 18:00:00',
  reason: '手动',
  bytes: 5_400_000,
}

describe('BackupDialog', () => {
  it('lists backups, backs up now, and restores the selected one only after a confirmation', async () => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    let stored = [older]
    invoke.mockImplementation((command: string, args: { path?: string }) => {
      if (command === 'backups') return Promise.resolve(stored)
      if (command === 'backup_now') {
        stored = [made, ...stored]
        return Promise.resolve(made)
      }
      if (command === 'restore_backup') {
        if (args.path === '/坏.db') return Promise.reject({ code: 'invalid_input', message: '/坏.db 不能用于恢复：文件已损坏' })
        return Promise.resolve({ restored: args.path, previous: { ...made, reason: '恢复前' } })
      }
      return Promise.reject({ code: 'internal', message: command })
    })
    const wrapper = mount(BackupDialog, {
      props: { modelValue: true },
      global: { plugins: [ElementPlus] },
      attachTo: document.body,
    })
    await flushPromises()
    const rows = () => [...document.querySelectorAll<HTMLElement>('[data-testid=backup-row]')]
    const button = (id: string) => document.querySelector<HTMLButtonElement>(`[data-testid=${id}]`)!
    expect(rows().map((r) => r.dataset.path)).toEqual([older.path])
    expect(rows()[0]!.textContent).toContain('2026-12-01 09:00:00')
    expect(rows()[0]!.textContent).toContain('导入前')
    expect(rows()[0]!.textContent).toContain(formatBytes(older.bytes))
    expect(formatBytes(older.bytes)).toBe('5.1 MB')
    expect(button('restore-selected').disabled).toBe(true)

    button('backup-now').click()
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('backup_now', undefined)
    expect(rows().map((r) => r.dataset.path)).toEqual([made.path, older.path])

    // Select the older one: 恢复所选… asks first and restores nothing yet.
    rows()[1]!.click()
    await flushPromises()
    button('restore-selected').click()
    await flushPromises()
    const confirmation = () => document.querySelector('[data-testid=restore-confirmation]')
    expect(confirmation()?.textContent).toContain('2026-12-01 09:00:00（导入前）的备份')
    expect(confirmation()?.textContent).toContain('替换当前数据库的全部内容')
    expect(confirmation()?.textContent).toContain('恢复前')
    expect(invoke).not.toHaveBeenCalledWith('restore_backup', expect.anything())
    button('restore-cancel').click()
    await flushPromises()
    expect(confirmation()).toBeNull()

    // A file from elsewhere that the backend refuses: the message in the dialog, nothing emitted.
    openDialog.mockResolvedValueOnce('/坏.db')
    button('restore-other').click()
    await flushPromises()
    expect(confirmation()?.textContent).toContain('/坏.db')
    button('restore-confirm').click()
    await flushPromises()
    expect(document.querySelector('[data-testid=backup-error]')?.textContent).toContain('文件已损坏')
    expect(wrapper.emitted('restored')).toBeUndefined()

    button('restore-selected').click()
    await flushPromises()
    button('restore-confirm').click()
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('restore_backup', { path: older.path })
    expect(wrapper.emitted('restored')?.[0]?.[0]).toMatchObject({ restored: older.path })
    expect(wrapper.emitted('update:modelValue')).toEqual([[false]])
    wrapper.unmount()
    delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__
  })
})
