// Renewing the page (issue 18): WebKitGTK's web process keeps memory for every screen the page
// builds and tears down, and a reload of the page in the same process does not give it back
// (docs/benchmarks.md, "Renewing the page"). At a change of screen — when nothing is being
// typed, saved, loaded or checked and no form is open — the page asks the shell whether its web
// process has grown past the bound (crates/quanze-api/src/page_renewal.rs); if so it hands the
// shell its place and the shell ends the web process and loads the page in a new one
// (src-tauri/src/page_process.rs). The new page takes the place back: the screen, the place in
// the tree and the list, the rows in view and the item shown, the find box, the search results
// and the checks panel (both run again), and undo and redo. Everything else is in the
// database: every edit was saved when it was made.
//
// The shell keeps the place in memory (it outlives the web process, not the app) and hands it
// out once: a later load starts afresh.

import type { EditBatch, PageRenewalAdvice } from '../api'

export type Screen = 'lists' | 'notices' | 'org' | 'admission' | 'changes' | 'history' | 'stats'
const SCREENS: readonly Screen[] = ['lists', 'notices', 'org', 'admission', 'changes', 'history', 'stats']

/** Where the user was in the list editor. */
export interface EditorPlace {
  list: number
  /** The grid's scroll position (px), down and across. */
  scrollTop: number
  scrollLeft: number
  /** The item whose details are shown (the last one focused). */
  focused: number | null
  /** The selected cells: columns `x`..`x1`, rows from item `first` to item `last`. */
  selection: { x: number; x1: number; first: number; last: number } | null
  findText: string
  filterFound: boolean
}

export interface PagePlace {
  screen: Screen
  historyTab: 'audit' | 'versions'
  node: number | null
  list: number | null
  checksOpen: boolean
  /** The search whose results were open ('' none): it runs again. */
  search: string
  /** Checks had been asked for: they run again (and re-run after edits, as before). */
  checksStarted: boolean
  editor: EditorPlace | null
  undo: EditBatch[]
  redo: EditBatch[]
  /** Renewals of this session so far, this one counted (shown as `data-page-renewals`). */
  renewals: number
}

const PLACE_VERSION = 1

/** The place as the shell keeps it. */
export function placeText(place: PagePlace): string {
  return JSON.stringify({ version: PLACE_VERSION, place })
}

/** The place the shell handed back; null when there is none or it is unreadable. */
export function placeFromText(text: string | null): PagePlace | null {
  if (text === null) return null
  try {
    const kept = JSON.parse(text) as { version?: unknown; place?: unknown }
    return kept.version === PLACE_VERSION && isPlace(kept.place) ? kept.place : null
  } catch {
    return null
  }
}

const isId = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value)
const isIdOrNull = (value: unknown) => value === null || isId(value)

function isEditorPlace(value: unknown): value is EditorPlace {
  if (value === null || typeof value !== 'object') return false
  const e = value as Record<string, unknown>
  const s = e.selection as Record<string, unknown> | null
  const selectionOk = s === null || (typeof s === 'object' && isId(s.x) && isId(s.x1) && isId(s.first) && isId(s.last))
  return isId(e.list) && isIdOrNull(e.focused) && typeof e.scrollTop === 'number' && typeof e.scrollLeft === 'number' && selectionOk && typeof e.findText === 'string' && typeof e.filterFound === 'boolean'
}

function isPlace(value: unknown): value is PagePlace {
  if (value === null || typeof value !== 'object') return false
  const p = value as Record<string, unknown>
  return (
    SCREENS.includes(p.screen as Screen) &&
    (p.historyTab === 'audit' || p.historyTab === 'versions') &&
    isIdOrNull(p.node) &&
    isIdOrNull(p.list) &&
    typeof p.checksOpen === 'boolean' &&
    typeof p.search === 'string' &&
    typeof p.checksStarted === 'boolean' &&
    (p.editor === null || isEditorPlace(p.editor)) &&
    Array.isArray(p.undo) &&
    Array.isArray(p.redo) &&
    isId(p.renewals)
  )
}

/** A form, a message box or a drawer of Element Plus is open (its overlay is shown): a renewal
 * would close it and lose what was typed in it. */
export function aFormIsOpen(root: ParentNode = document): boolean {
  return Array.from(root.querySelectorAll<HTMLElement>('.el-overlay')).some(
    (overlay) => overlay.style.display !== 'none' && getComputedStyle(overlay).display !== 'none',
  )
}

export interface RenewalSteps {
  /** Nothing is being typed, saved, loaded or checked and no form is open. */
  canRenew: () => boolean
  advise: () => Promise<PageRenewalAdvice>
  /** The place to keep (asked only when a renewal goes ahead). */
  place: () => Promise<PagePlace>
  /** Hand the shell the place and have it load the page in a new web process. */
  renew: (place: string) => Promise<unknown>
}

export type RenewalOutcome = 'busy' | 'not-needed' | 'place-not-kept' | 'renewed'

/** At a change of screen: renew the page when it can be and the shell advises it. */
export async function renewWhenAdvised(steps: RenewalSteps): Promise<RenewalOutcome> {
  if (!steps.canRenew()) return 'busy'
  let advice: PageRenewalAdvice
  try {
    advice = await steps.advise()
  } catch {
    return 'not-needed'
  }
  if (!advice.renew) return 'not-needed'
  const place = await steps.place()
  // The user may have started something while the shell answered (a click on a form's button).
  if (!steps.canRenew()) return 'busy'
  try {
    // The shell answers before it ends this page's process; the page is gone soon after.
    await steps.renew(placeText(place))
  } catch {
    return 'place-not-kept'
  }
  return 'renewed'
}
