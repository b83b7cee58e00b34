import { describe, expect, it, vi } from 'vitest'
import type { PageRenewalAdvice } from '../api'
import { aFormIsOpen, placeFromText, placeText, renewWhenAdvised, type PagePlace } from './pageRenewal'

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
  it('comes back as it was kept', () => {
    expect(placeFromText(placeText(place))).toEqual(place)
    expect(placeFromText(null)).toBeNull()
  })

  it('an unreadable, older or malformed place is dropped, not half restored', () => {
    for (const text of ['not json', JSON.stringify({ version: 0, place }), JSON.stringify({ version: 1, place: { ...place, screen: 'elsewhere' } }),
      JSON.stringify({ version: 1, place: { ...place, editor: { ...place.editor, selection: { x: 'a' } } } })]) {
      expect(placeFromText(text)).toBeNull()
    }
  })
})

describe('renewing at a change of screen', () => {
  const steps = (overrides: Partial<Parameters<typeof renewWhenAdvised>[0]> = {}) => ({
    canRenew: () => true,
    advise: vi.fn(async () => advice(true)),
    place: async () => place,
    renew: vi.fn(async (_text: string) => null),
    ...overrides,
  })

  it('hands the shell the place to load the page anew when the shell advises it', async () => {
    const renew = vi.fn(async (_text: string) => null)
    expect(await renewWhenAdvised(steps({ renew }))).toBe('renewed')
    expect(renew).toHaveBeenCalledTimes(1)
    expect(placeFromText(renew.mock.calls[0]![0])).toEqual(place)
  })

  it('does not even ask while something is under way, and does nothing when not advised', async () => {
    const busy = steps({ canRenew: () => false })
    expect(await renewWhenAdvised(busy)).toBe('busy')
    expect(busy.advise).not.toHaveBeenCalled()
    const calm = steps({ advise: vi.fn(async () => advice(false)) })
    expect(await renewWhenAdvised(calm)).toBe('not-needed')
    expect(calm.renew).not.toHaveBeenCalled()
    const failing = steps({ advise: vi.fn(async () => { throw new Error('no shell') }) })
    expect(await renewWhenAdvised(failing)).toBe('not-needed')
  })

  it('something started while the shell answered, or a place the shell refuses, stops the renewal', async () => {
    let calls = 0
    const started = steps({ canRenew: () => calls++ === 0 })
    expect(await renewWhenAdvised(started)).toBe('busy')
    expect(started.renew).not.toHaveBeenCalled()
    const refused = steps({ renew: vi.fn(async () => { throw new Error('页面位置过大') }) })
    expect(await renewWhenAdvised(refused)).toBe('place-not-kept')
  })

  it('an open form (a shown overlay) counts; a hidden one does not', () => {
    const root = document.createElement('div')
    root.innerHTML = '<div class="el-overlay" style="display: none"></div>'
    expect(aFormIsOpen(root)).toBe(false)
    root.innerHTML += '<div class="el-overlay"></div>'
    expect(aFormIsOpen(root)).toBe(true)
  })
})
