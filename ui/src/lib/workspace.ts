// The recent-files list as the 文件 menu shows it: file name first (what users recognise), the
// folder below, when it was opened, and whether it can be opened at all.

import type { RecentFile, ServerAddress } from '../api'

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
  /** A word after the name: 当前 / 文件不存在 / 服务器 / "". */
  state: string
  /** A database on a server: opening it asks for the password (连接服务器…). */
  server: ServerAddress | null
}

/** Split a path at its last separator (`/` or `\`, whichever the system wrote). */
export function splitPath(path: string): { folder: string; name: string } {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'))
  if (cut < 0) return { folder: '', name: path }
  return { folder: path.slice(0, cut) || path.slice(0, 1), name: path.slice(cut + 1) }
}

export function recentFileRows(files: readonly RecentFile[], currentPath: string | null): RecentFileRow[] {
  return files.map((file) => {
    const current = currentPath !== null && file.path === currentPath
    const server = file.server ?? null
    if (server) {
      return {
        path: file.path,
        name: server.database,
        folder: `服务器 ${server.host}:${server.port} · 账号 ${server.account}`,
        openedAt: file.opened_at,
        missing: false,
        current,
        state: current ? '当前' : '服务器',
        server,
      }
    }
    const { folder, name } = splitPath(file.path)
    const missing = !file.exists
    return {
      path: file.path,
      name,
      folder,
      openedAt: file.opened_at,
      missing,
      current,
      state: missing ? '文件不存在' : current ? '当前' : '',
      server: null,
    }
  })
}

/** A server database's name as the shell gives it (`ServerAddress::shown`, no password). */
const SERVER_PATH = /^postgres(?:ql)?:\/\/([^@/]+)@([^/]+)\/(.+)$/u

/** What the status bar says about the open database: the file, or which server and account. */
export function databaseLabel(path: string | null): string {
  if (path === null || path.trim() === '') return '数据库：（未打开）'
  const server = SERVER_PATH.exec(path)
  if (server) return `数据库：${server[3]}（服务器 ${server[2]}，账号 ${server[1]}）`
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
