// Showing a failed backend call: the message in an ElMessage (as text), the code for branching.

import { ElMessage } from 'element-plus'
import { toQuanzeError, type QuanzeError } from '../api'
import type { ErrorCode } from '../api'

/** Codes after which the database cannot be used at all: the app shows a blocking notice. */
const FATAL: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'database_too_new',
  'not_a_database',
  'io',
  'database',
])

export function isFatal(error: QuanzeError): boolean {
  return FATAL.has(error.code)
}

/** Show the error's message and hand the error back for branching on its code. Work the user
 * stopped (取消, code `cancelled`) is a notice, not an error. */
export function reportError(reason: unknown): QuanzeError {
  const error = toQuanzeError(reason)
  const type = error.code === 'cancelled' ? 'info' : 'error'
  ElMessage({ type, message: error.message, grouping: true, duration: 6000, showClose: true })
  return error
}

/** A backend message as the window shows it: the command-line hints some messages end their
 * clauses with — "（--item）", "（--despite-findings --reason 理由）" — name options the window
 * has no use for (it offers its own field or button), so they are left out. */
export function withoutCliHints(message: string): string {
  return message.replace(/（--[^）]*）/gu, '')
}
