// Opening a list: the first rows at once, the rest behind them.
//
// Reading all 50,000 items of a long list through IPC takes seconds (docs/benchmarks/app.md), so
// the editor asks first for a window's worth and more, shows them, and then reads the rest in
// chunks while the user already looks at the first rows. Editing waits until every row is
// there (an edit places rows by position, which needs the whole list).
import type { Item, ItemPage } from '../api'

/** Items in the first answer: more than a window shows, and every list of the sample district
 * (and of most real districts) in one call, so only long lists load in steps. */
export const FIRST_ROWS = 1000

/** Items per later call (the backend's most per call). */
export const REST_CHUNK = 5000

export interface ListLoadSink {
  /** The first page: its items, the list's total and the unit names. */
  first(page: ItemPage): void
  /** A further chunk, in order; `loaded` counts every item received so far. */
  more(items: Item[], unitNames: ItemPage['unit_names'], loaded: number): void
  /** False once the editor has moved on (another list, a reload): loading stops unheard. */
  current(): boolean
}

export type ListLoadEnd = 'complete' | 'stale' | 'short'

/** Read a list through `fetch(offset, limit)`: the first `firstRows` items, then `chunk` at a
 * time until the total is reached. Ends `stale` when the sink is no longer current (nothing
 * more is delivered), `short` when the backend runs out of items before the total (the list
 * shrank meanwhile), else `complete`. */
export async function loadList(
  fetch: (offset: number, limit: number) => Promise<ItemPage>,
  sink: ListLoadSink,
  firstRows = FIRST_ROWS,
  chunk = REST_CHUNK,
): Promise<ListLoadEnd> {
  const first = await fetch(0, firstRows)
  if (!sink.current()) return 'stale'
  sink.first(first)
  let loaded = first.items.length
  while (loaded < first.total) {
    const next = await fetch(loaded, chunk)
    if (!sink.current()) return 'stale'
    if (next.items.length === 0) return 'short'
    loaded += next.items.length
    sink.more(next.items, next.unit_names, loaded)
  }
  return 'complete'
}
