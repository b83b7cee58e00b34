import { describe, expect, it } from 'vitest'
import { ScrollClaims, scrollToFirstRow, type FirstRowGrid } from './firstRowScroll'

/** A grid whose first row is drawn after `drawnAfter` requests to scroll to the top. */
function fakeGrid(drawnAfter: number) {
  let asked = 0
  const grid: FirstRowGrid & { asked: () => number } = {
    scrollToTop: async () => {
      asked += 1
    },
    firstRowDrawn: () => asked >= drawnAfter,
    asked: () => asked,
  }
  return grid
}

describe('scrolling a list just opened to its first row', () => {
  it('asks again until the first row is drawn', async () => {
    const grid = fakeGrid(3)
    const drawn = await scrollToFirstRow(() => grid, new ScrollClaims(), async () => {})
    expect(drawn).toBe(true)
    expect(grid.asked()).toBe(3)
  })

  it('gives up after the attempts allowed', async () => {
    const grid = fakeGrid(99)
    expect(await scrollToFirstRow(() => grid, new ScrollClaims(), async () => {}, 4)).toBe(false)
    expect(grid.asked()).toBe(4)
  })

  it('stops once the user scrolled the grid in between (regression: a first scroll taken back to the top)', async () => {
    const grid = fakeGrid(99)
    const claims = new ScrollClaims()
    // The user's wheel turns while the first request's frames are awaited.
    const frames = async () => {
      claims.claim()
    }
    expect(await scrollToFirstRow(() => grid, claims, frames)).toBe(false)
    expect(grid.asked()).toBe(1)
  })

  it('a jump asked while the list was settling wins over the scroll to the first row claimed before it', async () => {
    const grid = fakeGrid(99)
    const claims = new ScrollClaims()
    const opening = claims.claim() // the list opened: the scroll to the top is claimed at once
    claims.claim() // a finding's 定位到事项 scrolls to its row while the grid takes the rows
    expect(await scrollToFirstRow(() => grid, claims, async () => {}, 5, opening)).toBe(false)
    expect(grid.asked()).toBe(0)
  })

  it('stops when the grid is gone (the editor closed)', async () => {
    let shown: FirstRowGrid | null = fakeGrid(99)
    const frames = async () => {
      shown = null
    }
    expect(await scrollToFirstRow(() => shown, new ScrollClaims(), frames)).toBe(false)
  })
})
