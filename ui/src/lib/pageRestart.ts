// The page loaded again by the shell after WebKit's web process ended on its own (a crash, or
// WebKit's memory limit): the shell marks the address with PAGE_RESTARTED_PARAMETER
// (crates/quanze-api/src/page_restart.rs, src-tauri/src/page_process.rs). The page tells the
// user once and takes the marker out of its address, so a later reload says nothing.
import { PAGE_RESTARTED_PARAMETER } from '../api/bindings'

export const PAGE_RESTARTED_MESSAGE =
  '窗口的页面意外停止，已重新载入。已保存的内容都在；停止时正在输入、尚未保存的单元格需要重新输入。'

/** Whether the page's query string carries the shell's marker. */
export function wasRestarted(search: string): boolean {
  return new URLSearchParams(search).has(PAGE_RESTARTED_PARAMETER)
}

/** The address to show instead: the same one without the marker (other parameters kept). */
export function addressWithoutMarker(pathname: string, search: string, hash: string): string {
  const params = new URLSearchParams(search)
  params.delete(PAGE_RESTARTED_PARAMETER)
  const rest = params.toString()
  return `${pathname}${rest ? `?${rest}` : ''}${hash}`
}

/** Once at start: the message when the shell restarted the page, and the marker removed. */
export function takePageRestart(where: Location = location, history: History = window.history): string | null {
  if (!wasRestarted(where.search)) return null
  history.replaceState(history.state, '', addressWithoutMarker(where.pathname, where.search, where.hash))
  return PAGE_RESTARTED_MESSAGE
}
