import { describe, expect, it } from 'vitest'
import type { Item, ItemPage } from '../api'
import { item, list } from './fixtures'
import { loadList, type ListLoadSink } from './listLoading'

/** A backend holding `count` items; records each call's offset and limit. */
function backend(count: number) {
  const calls: Array<[number, number]> = []
  const all = Array.from({ length: count }, (_, i) => item(i + 1))
  const fetch = async (offset: number, limit: number): Promise<ItemPage> => {
    calls.push([offset, limit])
    return {
      list: list(1, 1),
      total: all.length,
      offset,
      items: all.slice(offset, offset + limit),
      unit_names: { [offset]: `单位${offset}` },
    }
  }
  return { calls, fetch, all }
}

function recorder(current: () => boolean = () => true) {
  const seen: { first: ItemPage | null; more: Array<{ ids: number[]; loaded: number }>; units: Record<number, string> } = {
    first: null,
    more: [],
    units: {},
  }
  const sink: ListLoadSink = {
    first(page) {
      seen.first = page
      Object.assign(seen.units, page.unit_names)
    },
    more(items: Item[], unitNames, loaded) {
      seen.more.push({ ids: items.map((i) => i.id), loaded })
      Object.assign(seen.units, unitNames)
    },
    current,
  }
  return { seen, sink }
}

describe('loadList', () => {
  it('reads a short list in one call', async () => {
    const { calls, fetch } = backend(230)
    const { seen, sink } = recorder()
    expect(await loadList(fetch, sink, 1000, 5000)).toBe('complete')
    expect(calls).toEqual([[0, 1000]])
    expect(seen.first?.items).toHaveLength(230)
    expect(seen.more).toEqual([])
  })

  it('shows the first rows, then every other item in order, in chunks', async () => {
    const { calls, fetch, all } = backend(12_345)
    const { seen, sink } = recorder()
    expect(await loadList(fetch, sink, 1000, 5000)).toBe('complete')
    expect(calls).toEqual([
      [0, 1000],
      [1000, 5000],
      [6000, 5000],
      [11_000, 5000],
    ])
    expect(seen.more.map((m) => m.loaded)).toEqual([6000, 11_000, 12_345])
    const ids = [...seen.first!.items.map((i) => i.id), ...seen.more.flatMap((m) => m.ids)]
    expect(ids).toEqual(all.map((i) => i.id))
    expect(Object.keys(seen.units)).toHaveLength(4) // every chunk's unit names kept
  })

  it('stops without delivering once the editor has moved on', async () => {
    const { calls, fetch } = backend(20_000)
    let answers = 0
    const { seen, sink } = recorder(() => ++answers <= 2) // current for the first two answers
    expect(await loadList(fetch, sink, 1000, 5000)).toBe('stale')
    expect(calls).toHaveLength(3)
    expect(seen.more.map((m) => m.loaded)).toEqual([6000])
  })

  it('ends when the backend has fewer items than it said (no endless loop)', async () => {
    const { fetch } = backend(3000)
    const shrinking = async (offset: number, limit: number) => {
      const page = await fetch(offset, limit)
      return offset === 0 ? { ...page, total: 9000 } : page
    }
    const { seen, sink } = recorder()
    expect(await loadList(shrinking, sink, 1000, 5000)).toBe('short')
    expect(seen.more.map((m) => m.loaded)).toEqual([3000])
  })
})
