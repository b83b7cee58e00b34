import { describe, expect, it } from 'vitest'
import type { Item, ItemPage } from '../api'
import { item, list } from './fixtures'
import { RowWindow, type RowWindowSink } from './rowWindow'

/** A backend of `count` items whose answers wait until released (`hold`) or come at once. */
function backend(count: number) {
  const calls: Array<[number, number]> = []
  const all = Array.from({ length: count }, (_, i) => item(i + 1))
  let held: Array<() => void> | null = null
  const fetch = async (offset: number, limit: number): Promise<ItemPage> => {
    calls.push([offset, limit])
    // The answer is read when the call is made, as the backend would.
    const answer = { list: list(1, 1), total: all.length, offset, items: all.slice(offset, offset + limit), unit_names: { 9: '单位' } }
    if (held) await new Promise<void>((resolve) => held!.push(resolve))
    return answer
  }
  return {
    calls,
    fetch,
    all,
    hold: () => (held = []),
    release: () => {
      const waiting = held ?? []
      held = null
      waiting.forEach((go) => go())
    },
  }
}

function recorder() {
  const seen = { loaded: [] as Array<[number, number[]]>, evicted: [] as Array<[number, number]> }
  const sink: RowWindowSink = {
    loaded: (from, items: readonly Item[]) => seen.loaded.push([from, items.map((i) => i.id)]),
    evicted: (from, count) => seen.evicted.push([from, count]),
  }
  return { seen, sink }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('RowWindow', () => {
  it('reads only the pages covering the rows asked for, once', async () => {
    const b = backend(50_000)
    const { seen, sink } = recorder()
    const w = new RowWindow(b.fetch, sink, 500, 3000)
    w.reset(50_000)
    expect(await w.ensure(0, 30)).toBe('done')
    expect(b.calls).toEqual([[0, 500]])
    expect(w.item(0)?.id).toBe(1)
    expect(w.has(499)).toBe(true)
    expect(w.has(500)).toBe(false)
    await w.ensure(480, 520)
    expect(b.calls).toEqual([[0, 500], [500, 500]])
    await w.ensure(10, 990) // held: no call
    expect(b.calls).toHaveLength(2)
    expect(seen.loaded.map(([from]) => from)).toEqual([0, 500])
    expect(w.holds(0, 999)).toBe(true)
  })

  it('shares a call in flight between two asks for the same page', async () => {
    const b = backend(2000)
    const w = new RowWindow(b.fetch, recorder().sink, 500, 3000)
    w.reset(2000)
    await Promise.all([w.ensure(0, 10), w.ensure(5, 20)])
    expect(b.calls).toEqual([[0, 500]])
  })

  it('holds at most maxRows rows while scrolling end to end, letting go of the far ones', async () => {
    const b = backend(50_000)
    const { seen, sink } = recorder()
    const w = new RowWindow(b.fetch, sink, 500, 3000)
    w.reset(50_000)
    let most = 0
    for (let top = 0; top < 50_000; top += 400) {
      await w.ensure(top, top + 40)
      most = Math.max(most, w.heldRows)
    }
    expect(most).toBeLessThanOrEqual(3000)
    expect(w.has(0)).toBe(false)
    expect(w.has(49_999)).toBe(true)
    expect(seen.evicted.length).toBeGreaterThan(80)
    expect(seen.evicted[0]).toEqual([0, 500])
  })

  it('jumps to a row far down that is not held: reads its page, then the top is read again when asked', async () => {
    const b = backend(50_000)
    const w = new RowWindow(b.fetch, recorder().sink, 500, 1000)
    w.reset(50_000)
    await w.ensure(0, 40)
    await w.ensure(42_345, 42_345)
    expect(w.item(42_345)?.id).toBe(42_346)
    expect(b.calls.at(-1)).toEqual([42_000, 500])
    await w.ensure(30_000, 30_040)
    expect(w.has(0)).toBe(false) // the least recent page went
    expect(w.has(42_345)).toBe(true)
    await w.ensure(0, 40)
    expect(w.item(0)?.id).toBe(1)
    expect(w.heldRows).toBeLessThanOrEqual(1000)
  })

  it('keeps a row as an edit saved it across eviction and reading again', async () => {
    const b = backend(10_000)
    const w = new RowWindow(b.fetch, recorder().sink, 500, 500)
    w.reset(10_000)
    await w.ensure(0, 10)
    // The backend saves the edit; the window holds the saved item.
    const saved = { ...b.all[3]!, name: '改过的名称' }
    b.all[3] = saved
    w.edited(3, saved)
    expect(w.item(3)?.name).toBe('改过的名称')
    await w.ensure(9000, 9010)
    expect(w.has(3)).toBe(false)
    await w.ensure(0, 10)
    expect(w.item(3)?.name).toBe('改过的名称')
  })

  it('does not let an answer read before an edit overwrite the edited row', async () => {
    const b = backend(1000)
    const { seen, sink } = recorder()
    const w = new RowWindow(b.fetch, sink, 500, 3000)
    w.reset(1000)
    b.hold()
    const reading = w.ensure(0, 10) // read before the edit, answered after it
    await tick()
    const saved = { ...b.all[2]!, name: '刚保存的' }
    w.edited(2, saved)
    b.release()
    await reading
    expect(w.item(2)?.name).toBe('刚保存的')
    expect(w.item(1)?.name).toBe(b.all[1]!.name)
    expect(seen.loaded).toHaveLength(1)
  })

  it('ignores answers to calls made before the list was read again or another list opened', async () => {
    const b = backend(5000)
    const { seen, sink } = recorder()
    const w = new RowWindow(b.fetch, sink, 500, 3000)
    w.reset(5000)
    b.hold()
    const old = w.ensure(1000, 1010)
    await tick()
    w.reset(200) // the list changed: 200 rows now
    b.release()
    expect(await old).toBe('stale')
    expect(w.heldRows).toBe(0)
    expect(seen.loaded).toEqual([])
    await w.ensure(0, 1000) // clipped to the new length
    expect(w.heldRows).toBe(200)
    expect(b.calls.at(-1)).toEqual([0, 500])
  })

  it('reads nothing for an empty list', async () => {
    const b = backend(0)
    const w = new RowWindow(b.fetch, recorder().sink)
    w.reset(0)
    expect(await w.ensure(0, 40)).toBe('done')
    expect(b.calls).toEqual([])
  })
})
