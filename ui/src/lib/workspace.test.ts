import { describe, expect, it } from 'vitest'
import { databaseLabel, recentFileRows, splitPath, workspaceShortcut } from './workspace'

describe('recent files display', () => {
  it('splits Unix and Windows paths into folder and name', () => {
    expect(splitPath('/home/li/清单/青川区.db')).toEqual({ folder: '/home/li/清单', name: '青川区.db' })
    expect(splitPath('C:\\数据\\区.db')).toEqual({ folder: 'C:\\数据', name: '区.db' })
    expect(splitPath('/a.db')).toEqual({ folder: '/', name: 'a.db' })
    expect(splitPath('a.db')).toEqual({ folder: '', name: 'a.db' })
  })

  it('marks the current file and the missing ones, keeping the order given (newest first)', () => {
    const rows = recentFileRows(
      [
        { path: '/d/当前.db', opened_at: '2026-11-23 09:00', exists: true },
        { path: '/d/旧.db', opened_at: '2026-11-20 10:00', exists: false },
        { path: '/e/另一个.db', opened_at: '2026-11-19 08:30', exists: true },
      ],
      '/d/当前.db',
    )
    expect(rows.map((r) => [r.name, r.folder, r.state, r.missing, r.current])).toEqual([
      ['当前.db', '/d', '当前', false, true],
      ['旧.db', '/d', '文件不存在', true, false],
      ['另一个.db', '/e', '', false, false],
    ])
    expect(rows[1]!.openedAt).toBe('2026-11-20 10:00')
  })

  it('says which database is open in the status bar', () => {
    expect(databaseLabel('/d/a.db')).toBe('数据库：/d/a.db')
    expect(databaseLabel(null)).toBe('数据库：（未打开）')
    expect(databaseLabel('postgresql://li_ming@192.168.1.10:5432/quanze_district')).toBe(
      '数据库：quanze_district（服务器 192.168.1.10:5432，账号 li_ming）',
    )
  })

  it('shows a server by its database, address and account, openable though no file is there', () => {
    const address = { host: '192.168.1.10', port: 5432, database: 'quanze_district', account: 'li_ming' }
    const path = 'postgresql://li_ming@192.168.1.10:5432/quanze_district'
    const rows = recentFileRows([{ path, opened_at: '2026-12-06 09:00', exists: true, server: address }], null)
    expect(rows.map((r) => [r.name, r.folder, r.state, r.missing, r.server])).toEqual([
      ['quanze_district', '服务器 192.168.1.10:5432 · 账号 li_ming', '服务器', false, address],
    ])
    expect(recentFileRows([{ path, opened_at: '', exists: true, server: address }], path)[0]!.state).toBe('当前')
  })

  it('opens with Ctrl+O and creates with Ctrl+N, nothing else', () => {
    const key = (k: string, extra: Partial<KeyboardEvent> = {}) => ({ key: k, ctrlKey: true, metaKey: false, shiftKey: false, altKey: false, ...extra })
    expect(workspaceShortcut(key('o'))).toBe('open')
    expect(workspaceShortcut(key('N'))).toBe('create')
    expect(workspaceShortcut(key('o', { ctrlKey: false, metaKey: true }))).toBe('open')
    expect(workspaceShortcut(key('o', { shiftKey: true }))).toBeNull()
    expect(workspaceShortcut(key('o', { ctrlKey: false }))).toBeNull()
    expect(workspaceShortcut(key('z'))).toBeNull()
  })
})
