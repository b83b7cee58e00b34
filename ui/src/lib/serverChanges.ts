// Other people's changes of a database on a server (the shell's `server-change` events): what
// each means for what the window shows, and a follower that acts on them — the open list's
// rows read again when its items changed (or too many to name), the tree and lists (the
// overview) read again, the checks re-run as after the window's own edits, and a short status
// line (「张三 修改了本清单，已更新」). The window's own account's changes are skipped: it refreshed
// itself when it made them. Changes arriving together are acted on once.

import type { ServerChange } from '../api'

/** What one change asks of the window. */
export interface ServerRefresh {
  /** The open list's rows are read again. */
  list: boolean
  /** The tree, the lists and their counts are read again. */
  overview: boolean
  /** Findings may be out of date: the checks re-run (when they ran this session). */
  checks: boolean
  /** The status line, or null. */
  message: string | null
}

const NOTHING: ServerRefresh = { list: false, overview: false, checks: false, message: null }

const WHAT: Record<string, string> = {
  jurisdictions: '辖区',
  units: '机构',
  leaders: '班子成员',
  lists: '清单',
  items: '事项',
}

/** What `change` means while `openList` is open in the editor (null: none): the open list is
 * read again when its items changed (or too many lists to name them), and when units changed
 * (their names show in its cells). */
export function serverRefresh(change: ServerChange, openList: number | null): ServerRefresh {
  if (change.mine) return NOTHING
  const ofOpenList =
    change.table === 'items' && openList !== null && (change.ids === null || change.ids.includes(openList))
  // The grid shows units by name (承办机构): a renamed unit is read with the rows.
  const list = ofOpenList || (change.table === 'units' && openList !== null)
  let message: string
  if (ofOpenList) message = `${change.by} 修改了本清单，已更新`
  else if (change.table === 'items') message = `${change.by} 修改了其他清单的事项，已更新`
  else message = `${change.by} 修改了${WHAT[change.table] ?? '数据'}，已更新`
  return { list, overview: true, checks: true, message }
}

/** What the follower does, given by the window. */
export interface ServerFollowerActions {
  openList: () => number | null
  /** Read the open list's rows again where the user is (the editor keeps a cell being edited). */
  reloadList: () => Promise<unknown>
  refreshOverview: () => Promise<unknown>
  checksAfterEdit: () => void
  say: (text: string) => void
}

/** Changes arriving within this many ms of each other are acted on once. */
export const GATHER_MS = 300

export class ServerChangeFollower {
  private pending: ServerRefresh = NOTHING
  private timer: ReturnType<typeof setTimeout> | null = null

  constructor(
    private readonly actions: ServerFollowerActions,
    private readonly gatherMs = GATHER_MS,
  ) {}

  /** One change arrived. */
  heard(change: ServerChange): void {
    const refresh = serverRefresh(change, this.actions.openList())
    if (refresh === NOTHING) return
    this.pending = {
      list: this.pending.list || refresh.list,
      overview: this.pending.overview || refresh.overview,
      checks: this.pending.checks || refresh.checks,
      // The open list's own news is the one worth reading.
      message: this.pending.list && !refresh.list ? this.pending.message : refresh.message,
    }
    this.actSoon()
  }

  /** Changes are heard again after the listening connection was lost: what others changed
   * meanwhile was not heard, so everything shown is read again and the checks re-run. */
  heardAgain(): void {
    this.pending = {
      list: this.actions.openList() !== null,
      overview: true,
      checks: true,
      message: '已重新连接服务器，断开期间其他人的修改已更新',
    }
    this.actSoon()
  }

  /** Act once the gathering time has passed, unless already about to. */
  private actSoon(): void {
    if (this.timer === null) this.timer = setTimeout(() => void this.act(), this.gatherMs)
  }

  /** Act on what was gathered (also called by the timer). */
  async act(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
    const todo = this.pending
    this.pending = NOTHING
    if (todo === NOTHING) return
    if (todo.overview) await this.actions.refreshOverview()
    if (todo.list) await this.actions.reloadList()
    if (todo.checks) this.actions.checksAfterEdit()
    if (todo.message) this.actions.say(todo.message)
  }

  /** Another database was opened: what was gathered is of the previous one. */
  reset(): void {
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
    this.pending = NOTHING
  }
}
