// The recent-files list as the 文件 menu shows it: file name first (what users recognise), the
// folder below, when it was opened, and whether it can be opened at all.

import type { RecentFile } from '../api'

export interface RecentFileRow {
  path: string
  /** The file name, e.g. "青川区2025.db". */
  name: string
  /** The folder it is in ("" for a bare name). */
  folder: string
  openedAt: string
  /** The file is gone (moved, renamed, a USB stick removed): shown greyed, only 移除 offered. */
  missing: boolean
  /** The database open now. */
  current: boolean
  /** A word after the name: 当前 / 文件不存在 / "". */
  state: string
}

/** Split a path at its last separator (`/` or `\`, whichever the system wrote). */
export function splitPath(path: string): { folder: string; name: string } {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'))
  if (cut < 0) return { folder: '', name: path }
  return { folder: path.slice(0, cut) || path.slice(0, 1), name: path.slice(cut + 1) }
}

export function recentFileRows(files: readonly RecentFile[], currentPath: string | null): RecentFileRow[] {
  return files.map((file) => {
    const { folder, name } = splitPath(file.path)
    const current = currentPath !== null && file.path === currentPath
    const missing = !file.exists
    return {
      path: file.path,
      name,
      folder,
      openedAt: file.opened_at,
      missing,
      current,
      state: missing ? '文件不存在' : current ? '当前' : '',
    }
  })
}

/** What the status bar says about the open database. */
export function databaseLabel(path: string | null): string {
  if (path === null || path.trim() === '') return '数据库：（未打开）'
  return `数据库：${path}`
}

/** The 文件 menu's keys: Ctrl+O 打开数据库…, Ctrl+N 新建数据库… (⌘ on a Mac keyboard). */
export function workspaceShortcut(
  event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>,
): 'open' | 'create' | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return null
  const key = event.key.toLowerCase()
  if (key === 'o') return 'open'
  if (key === 'n') return 'create'
  return null
}
