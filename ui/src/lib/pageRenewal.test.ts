import { describe, expect, it, vi } from 'vitest'
import type { PageRenewalAdvice } from '../api'
import { PLACE_KEY, aFormIsOpen, keepPlace, renewWhenAdvised, takePlace, type PagePlace } from './pageRenewal'

function memoryStorage(): Storage {
  const values = new Map<string, string>()
  return {
    get length() {
      return values.size
    },
    clear: () => values.clear(),
    getItem: (key) => values.get(key) ?? null,
    key: (index) => [...values.keys()][index] ?? null,
    removeItem: (key) => void values.delete(key),
    setItem: (key, value) => void values.set(key, String(value)),
  }
}

const place: PagePlace = {
  screen: 'notices',
  historyTab: 'versions',
  node: 3,
  list: 7,
  checksOpen: true,
  search: '许可',
  checksStarted: true,
  editor: { list: 7, focused: 71, scrollTop: 4400, scrollLeft: 120, selection: { x: 1, x1: 2, first: 70, last: 72 }, findText: '许可', filterFound: true },
  undo: [{ list: 7, reason: '修改事项名称', edits: [] } as unknown as PagePlace['undo'][number]],
  redo: [],
  renewals: 1,
}

const advice = (renew: boolean): PageRenewalAdvice => ({ renew, web_process_mb: 320, lowest_mb: 190, growth_bound_mb: 120 })

describe('the place kept across a renewal of the page', () => {
  it('comes back as it was kept, once: a later load starts afresh', () => {
    const storage = memoryStorage()
    expect(keepPlace(place, storage)).toBe(true)
    expect(takePlace(storage)).toEqual(place)
    expect(takePlace(storage)).toBeNull()
  })

  it('an unreadable, older or malformed place is dropped, not half restored', () => {
    const storage = memoryStorage()
    for (const text of ['not json', JSON.stringify({ version: 0, place }), JSON.stringify({ version: 1, place: { ...place, screen: 'elsewhere' } }),
      JSON.stringify({ version: 1, place: { ...place, editor: { ...place.editor, selection: { x: 'a' } } } })]) {
      storage.setItem(PLACE_KEY, text)
      expect(takePlace(storage)).toBeNull()
      expect(storage.getItem(PLACE_KEY)).toBeNull()
    }
  })

  it('a full storage says the place could not be kept', () => {
    const full = { ...memoryStorage(), setItem: () => { throw new DOMException('full', 'QuotaExceededError') } } as Storage
    expect(keepPlace(place, full)).toBe(false)
  })
})

describe('renewing at a change of screen', () => {
  const steps = (overrides: Partial<Parameters<typeof renewWhenAdvised>[0]> = {}) => ({
    canRenew: () => true,
    advise: vi.fn(async () => advice(true)),
    place: async () => place,
    reload: vi.fn(),
    storage: memoryStorage(),
    ...overrides,
  })

  it('keeps the place and loads the page again when the shell advises it', async () => {
    const s = steps()
    expect(await renewWhenAdvised(s)).toBe('renewed')
    expect(s.reload).toHaveBeenCalledTimes(1)
    expect(takePlace(s.storage)).toEqual(place)
  })

  it('does not even ask while something is under way, and does nothing when not advised', async () => {
    const busy = steps({ canRenew: () => false })
    expect(await renewWhenAdvised(busy)).toBe('busy')
    expect(busy.advise).not.toHaveBeenCalled()
    const calm = steps({ advise: vi.fn(async () => advice(false)) })
    expect(await renewWhenAdvised(calm)).toBe('not-needed')
    expect(calm.reload).not.toHaveBeenCalled()
    const failing = steps({ advise: vi.fn(async () => { throw new Error('no shell') }) })
    expect(await renewWhenAdvised(failing)).toBe('not-needed')
  })

  it('something started while the shell answered, or a place that cannot be kept, stops the renewal', async () => {
    let calls = 0
    const started = steps({ canRenew: () => calls++ === 0 })
    expect(await renewWhenAdvised(started)).toBe('busy')
    expect(started.reload).not.toHaveBeenCalled()
    const full = steps({ storage: { ...memoryStorage(), setItem: () => { throw new Error('full') } } as Storage })
    expect(await renewWhenAdvised(full)).toBe('place-not-kept')
    expect(full.reload).not.toHaveBeenCalled()
  })

  it('an open form (a shown overlay) counts; a hidden one does not', () => {
    const root = document.createElement('div')
    root.innerHTML = '<div class="el-overlay" style="display: none"></div>'
    expect(aFormIsOpen(root)).toBe(false)
    root.innerHTML += '<div class="el-overlay"></div>'
    expect(aFormIsOpen(root)).toBe(true)
  })
})
