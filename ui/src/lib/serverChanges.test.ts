import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ServerChange } from '../api'
import { GATHER_MS, ServerChangeFollower, serverRefresh } from './serverChanges'

const items = (ids: number[] | null, by = '张三', mine = false): ServerChange => ({ table: 'items', ids, by, mine })

describe('what another account’s change means for the window', () => {
  it('re-reads the open list only when its items changed, or too many to name', () => {
    expect(serverRefresh(items([7]), 7)).toEqual({ list: true, overview: true, checks: true, message: '张三 修改了本清单，已更新' })
    expect(serverRefresh(items([3, 8]), 7)).toEqual({
      list: false,
      overview: true,
      checks: true,
      message: '张三 修改了其他清单的事项，已更新',
    })
    expect(serverRefresh(items(null), 7).list).toBe(true)
    expect(serverRefresh(items([7]), null).list).toBe(false)
  })

  it('reads the tree again for places, units and lists, and names what changed', () => {
    const places = serverRefresh({ table: 'jurisdictions', ids: [2], by: 'li_ming', mine: false }, 7)
    expect(places).toEqual({ list: false, overview: true, checks: true, message: 'li_ming 修改了辖区，已更新' })
    expect(serverRefresh({ table: 'lists', ids: [7], by: 'li_ming', mine: false }, 7).message).toBe('li_ming 修改了清单，已更新')
    const units = serverRefresh({ table: 'units', ids: [1], by: 'li_ming', mine: false }, 7)
    expect(units.message).toBe('li_ming 修改了机构，已更新')
    // Unit names show in the grid's 承办机构 cells: the open list is read with them.
    expect(units.list).toBe(true)
    expect(serverRefresh({ table: 'units', ids: [1], by: 'li_ming', mine: false }, null).list).toBe(false)
    expect(serverRefresh({ table: 'lists', ids: [7], by: 'li_ming', mine: false }, 7).list).toBe(false)
  })

  it('leaves the window’s own account’s changes alone (it refreshed itself)', () => {
    expect(serverRefresh(items([7], 'wang_fang', true), 7)).toEqual({ list: false, overview: false, checks: false, message: null })
  })
})

describe('ServerChangeFollower', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  function follower(openList: number | null) {
    const calls: string[] = []
    const actions = {
      openList: () => openList,
      reloadList: vi.fn(async () => calls.push('list')),
      refreshOverview: vi.fn(async () => calls.push('overview')),
      checksAfterEdit: vi.fn(() => calls.push('checks')),
      say: vi.fn((text: string) => calls.push(`say:${text}`)),
    }
    return { follower: new ServerChangeFollower(actions), actions, calls }
  }

  it('re-reads the open list for a change of its items, once for a burst, and says who', async () => {
    const { follower: f, actions, calls } = follower(7)
    f.heard(items([7]))
    f.heard(items([3]))
    f.heard(items([7], '李明'))
    expect(actions.reloadList).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(GATHER_MS)
    expect(calls).toEqual(['overview', 'list', 'checks', 'say:李明 修改了本清单，已更新'])
  })

  it('does not re-read the open list for another list’s change', async () => {
    const { follower: f, actions } = follower(7)
    f.heard(items([3]))
    await vi.advanceTimersByTimeAsync(GATHER_MS)
    expect(actions.reloadList).not.toHaveBeenCalled()
    expect(actions.refreshOverview).toHaveBeenCalledTimes(1)
    expect(actions.checksAfterEdit).toHaveBeenCalledTimes(1)
    expect(actions.say).toHaveBeenCalledWith('张三 修改了其他清单的事项，已更新')
  })

  it('keeps the open list’s news when another list’s change comes after it', async () => {
    const { follower: f, actions } = follower(7)
    f.heard(items([7]))
    f.heard(items([3], '李明'))
    await vi.advanceTimersByTimeAsync(GATHER_MS)
    expect(actions.say).toHaveBeenCalledWith('张三 修改了本清单，已更新')
  })

  it('does nothing for its own account’s changes, nor after another database was opened', async () => {
    const { follower: f, calls } = follower(7)
    f.heard(items([7], 'wang_fang', true))
    await vi.advanceTimersByTimeAsync(GATHER_MS)
    f.heard(items([7]))
    f.reset()
    await vi.advanceTimersByTimeAsync(GATHER_MS * 2)
    expect(calls).toEqual([])
  })

  // Issue 19: the shell listens again after the server came back (server-feed-back); what
  // others changed while it was gone was never heard, so everything is read again.
  it('reads everything again when changes are heard again after the connection was lost', async () => {
    const { follower: f, calls } = follower(7)
    f.heardAgain()
    await vi.advanceTimersByTimeAsync(GATHER_MS)
    expect(calls).toEqual(['overview', 'list', 'checks', 'say:已重新连接服务器，断开期间其他人的修改已更新'])
    const { follower: none, calls: noList } = follower(null)
    none.heardAgain()
    await vi.advanceTimersByTimeAsync(GATHER_MS)
    expect(noList).toEqual(['overview', 'checks', 'say:已重新连接服务器，断开期间其他人的修改已更新'])
  })
})
