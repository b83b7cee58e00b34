// The rows of a long list the editor holds: pages read on demand around what the grid shows,
// at most `maxRows` of them kept (issue 18: a 50,000-item list held whole cost about 180 MB in
// the web process, docs/benchmarks/app.md). The grid's source holds a light placeholder per
// row (its item id, from the list's outline); this window says which rows have their items and
// reads the others when they come into view or a jump needs them.
import type { Item, ItemPage } from '../api'
import type { UnitNames } from './columns'

/** Rows per call: a few screens of a tall window, so that scrolling reads seldom. */
export const PAGE_ROWS = 500

/** Rows kept: six pages, a few thousand rows around the view. */
export const MAX_ROWS = 3000

export type FetchRows = (offset: number, limit: number) => Promise<ItemPage>

export interface RowWindowSink {
  /** Items arrived for the positions `from`, `from + 1`, …; `unitNames` names the units they refer to. */
  loaded(from: number, items: readonly Item[], unitNames: UnitNames): void
  /** The items of positions `from` … `from + count - 1` were let go. */
  evicted(from: number, count: number): void
}

export type EnsureEnd = 'done' | 'stale'

export class RowWindow {
  private readonly items = new Map<number, Item>()
  /** Loaded pages by index, with when each was last asked for (the least recent go first). */
  private readonly pages = new Map<number, number>()
  private readonly pending = new Map<number, Promise<void>>()
  /** Items saved by an edit, with the tick of the edit: an answer asked before it is older. */
  private readonly edits = new Map<number, { item: Item; tick: number }>()
  private tick = 0
  private generation = 0
  private rows = 0

  constructor(
    private readonly fetch: FetchRows,
    private readonly sink: RowWindowSink,
    readonly pageRows = PAGE_ROWS,
    readonly maxRows = MAX_ROWS,
  ) {}

  /** The list's length as the window knows it. */
  get length(): number {
    return this.rows
  }

  /** Items held now (for tests and the memory bound). */
  get heldRows(): number {
    return this.items.size
  }

  /** Another list, or this one read again with `length` rows: everything held is let go, and
   * answers to calls made before are ignored. */
  reset(length: number): void {
    this.generation += 1
    this.items.clear()
    this.pages.clear()
    this.pending.clear()
    this.edits.clear()
    this.rows = length
  }

  item(position: number): Item | undefined {
    return this.items.get(position)
  }

  has(position: number): boolean {
    return this.items.has(position)
  }

  /** Whether every row of `from`…`to` has its item. */
  holds(from: number, to: number): boolean {
    for (let p = Math.max(0, from); p <= Math.min(to, this.rows - 1); p++) if (!this.items.has(p)) return false
    return true
  }

  /** Read the pages covering rows `from`…`to` (inclusive) that are not held, then let go of the
   * pages farthest from them beyond `maxRows`. `stale` when the window was reset meanwhile. */
  async ensure(from: number, to: number): Promise<EnsureEnd> {
    const generation = this.generation
    if (this.rows === 0) return 'done'
    const first = Math.floor(Math.max(0, Math.min(from, this.rows - 1)) / this.pageRows)
    const last = Math.floor(Math.max(0, Math.min(Math.max(from, to), this.rows - 1)) / this.pageRows)
    const waits: Promise<void>[] = []
    for (let page = first; page <= last; page++) {
      const pending = this.pending.get(page)
      if (pending) waits.push(pending)
      else if (this.pages.has(page)) this.pages.set(page, ++this.tick)
      else waits.push(this.read(page))
    }
    await Promise.all(waits)
    if (generation !== this.generation) return 'stale'
    this.evictAround(first, last)
    return 'done'
  }

  /** An edit saved `item` at `position`: held from now on as saved, also against an answer to
   * a call made before the edit that arrives after it. */
  edited(position: number, item: Item): void {
    this.edits.set(item.id, { item, tick: ++this.tick })
    if (this.items.has(position)) {
      this.items.set(position, item)
      this.sink.loaded(position, [item], {})
    }
  }

  private read(page: number): Promise<void> {
    const generation = this.generation
    const asked = ++this.tick
    const offset = page * this.pageRows
    const done = this.fetch(offset, this.pageRows)
      .then((answer) => {
        if (generation !== this.generation) return
        // The items as an edit saved them since this call was made, not as the call read them.
        const items = answer.items.map((item) => {
          const edit = this.edits.get(item.id)
          return edit && edit.tick > asked ? edit.item : item
        })
        const kept = items.slice(0, Math.max(0, this.rows - offset))
        kept.forEach((item, k) => this.items.set(offset + k, item))
        this.pages.set(page, ++this.tick)
        this.sink.loaded(offset, kept, answer.unit_names)
      })
      .finally(() => {
        if (generation === this.generation) this.pending.delete(page)
      })
    this.pending.set(page, done)
    return done
  }

  /** Let go of the least recently asked pages outside `first`…`last` until at most `maxRows`
   * rows are held (a range wider than that is kept whole). */
  private evictAround(first: number, last: number): void {
    const candidates = [...this.pages.entries()]
      .filter(([page]) => page < first || page > last)
      .sort((a, b) => a[1] - b[1])
    for (const [page] of candidates) {
      if (this.items.size <= this.maxRows) return
      this.pages.delete(page)
      const from = page * this.pageRows
      let count = 0
      for (let p = from; p < from + this.pageRows; p++) if (this.items.delete(p)) count += 1
      if (count > 0) this.sink.evicted(from, count)
    }
  }
}
