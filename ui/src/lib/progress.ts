// Long work (an import, posters) reports steps; the bar shows how far it is, and a `cancelled`
// answer is the user's own 取消, not a failure.

import type { WorkProgress } from '../api'
import type { QuanzeError } from '../api'

/** 0–100, whole numbers; 0 before the first step and when the total is unknown. */
export function progressPercent(progress: WorkProgress | null): number {
  if (!progress || progress.total <= 0) return 0
  return Math.min(100, Math.max(0, Math.round((progress.done / progress.total) * 100)))
}

/** The line under the bar: "正在读取 水务局.xls（2/5）", or a word while waiting to start. */
export function progressText(progress: WorkProgress | null): string {
  return progress?.step.trim() || '正在准备…'
}

/** The user stopped the work: show it as a notice, not as an error. */
export function wasCancelled(error: Pick<QuanzeError, 'code'>): boolean {
  return error.code === 'cancelled'
}
