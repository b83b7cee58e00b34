/** Scrolling a list just opened to its first row and column. The grid may apply the new rows
 * after the first request and keep the previous list's place (seen on a busy machine), so the
 * request is made again until the first row is drawn — but never against the user: once the
 * grid was scrolled by anyone else (a wheel, a key, a press or a touch in it, a jump the editor
 * asked for), the retries stop. Before this, a user's very first scroll in a list just opened
 * could be taken back to the top (found by CI's long-list test, issue 18). */

/** What the retries need of the grid. */
export interface FirstRowGrid {
  scrollToTop(): Promise<void>
  firstRowDrawn(): boolean
}

/** Counts the scrolls asked by others; a scroll to the first row that started before the last
 * of them gives up. */
export class ScrollClaims {
  private latest = 0

  /** Someone (the user, a jump) moves the grid now: older requests stop. Returns the claim. */
  claim(): number {
    this.latest += 1
    return this.latest
  }

  /** Whether `claim` is still the newest. */
  holds(claim: number): boolean {
    return claim === this.latest
  }
}

/** Scroll to the first row, asking again (at most `attempts` times, a frame pair apart) until it
 * is drawn or someone else claims the grid. Returns whether the first row was seen drawn.
 * `mine`: a claim taken earlier, when the caller must wait before the first scroll (for the
 * grid to take the new rows) — a jump asked during that wait is newer and wins. A claim taken
 * only after the wait came after the jump's and scrolled the row jumped to away (found by the
 * E2E jump tests with WebKit's compositing off). */
export async function scrollToFirstRow(
  grid: () => FirstRowGrid | null,
  claims: ScrollClaims,
  waitForFrames: () => Promise<void>,
  attempts = 5,
  mine = claims.claim(),
): Promise<boolean> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const g = grid()
    if (!g || !claims.holds(mine)) return false
    await g.scrollToTop()
    await waitForFrames()
    if (!claims.holds(mine)) return false
    if (g.firstRowDrawn()) return true
  }
  return false
}
