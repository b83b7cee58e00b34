// 备份与恢复: how a backup is shown (size, the confirmation's words). The backups themselves
// are made and checked by the backend.

import type { BackupFile } from '../api'

/** `1234567` → `1.2 MB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit + 1 < units.length) {
    value /= 1024
    unit += 1
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`
}

/** A backup as the confirmation names it: `2026-12-04 18:43:12（导入前）的备份`. */
export function backupLabel(backup: Pick<BackupFile, 'created_at' | 'reason'>): string {
  return `${backup.created_at}（${backup.reason}）的备份`
}

/** What a restore from `what` (a backup's label, or a file) will do, said before it is done. */
export function restoreWarning(what: string): string {
  return `将用${what}替换当前数据库的全部内容，本次的撤销记录会清空。当前内容会先自动备份（恢复前），需要时可以再恢复回来。`
}
