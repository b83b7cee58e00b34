// Undo and redo, per list. Every change the editor makes is an `EditBatch` applied by the
// backend in one transaction, which answers with the batch that undoes it; so both stacks hold
// nothing but batches, and undoing is applying the top of the undo stack (the backend records it
// as "撤销：…" and answers with the batch that redoes it).
//
// The history is kept for the whole session (a list opened again can still undo its changes),
// but undo and redo only ever take the open list's own batches: a 撤销 in one list must not
// change another list that is not on screen (issue 18: it undid a paste in another list). A
// batch changes the items of one list only, so the lists' histories are independent.

import type { EditBatch, EditOutcome } from '../api'

export type ApplyBatch = (batch: EditBatch) => Promise<EditOutcome>

export class EditHistory {
  /** Every list's inverse batches, oldest first (the newest of a list is its last one here). */
  undoStack: EditBatch[] = []
  redoStack: EditBatch[] = []
  /** Batches run one after the other, in the order asked, even when asked quickly. */
  private queue: Promise<unknown> = Promise.resolve()
  /** Batches asked for and not yet answered (a renewal of the page waits for none). */
  inFlight = 0

  constructor(
    private readonly apply: ApplyBatch,
    private readonly limit = 500,
  ) {}

  canUndo(list: number): boolean {
    return this.undoStack.some((b) => b.list === list)
  }

  canRedo(list: number): boolean {
    return this.redoStack.some((b) => b.list === list)
  }

  /** What undo in `list` would undo ("修改事项名称"), for tooltips. */
  undoReason(list: number): string | null {
    return lastOf(this.undoStack, list)?.reason.replace(/^撤销：/u, '') ?? null
  }

  redoReason(list: number): string | null {
    return lastOf(this.redoStack, list)?.reason.replace(/^重做：/u, '') ?? null
  }

  /** Apply a new change; it can then be undone, and what was undone before in its list can no
   * longer be redone. */
  run(batch: EditBatch): Promise<EditOutcome> {
    return this.serial(async () => {
      const outcome = await this.apply(batch)
      this.push(this.undoStack, outcome.inverse)
      this.redoStack = this.redoStack.filter((b) => b.list !== batch.list)
      return outcome
    })
  }

  /** Undo the last change made in `list`; `null` when there is none. A batch the backend
   * refuses (its items were changed otherwise since) is dropped from the stack, and the
   * refusal is thrown. */
  undo(list: number): Promise<EditOutcome | null> {
    return this.serial(() => this.step(this.undoStack, this.redoStack, list))
  }

  redo(list: number): Promise<EditOutcome | null> {
    return this.serial(() => this.step(this.redoStack, this.undoStack, list))
  }

  /** Forget everything (another database, or the list changed underneath by an import). */
  clear(): void {
    this.undoStack = []
    this.redoStack = []
  }

  /** Forget what `list` could undo and redo (its items were changed outside the editor). */
  forget(list: number): void {
    this.undoStack = this.undoStack.filter((b) => b.list !== list)
    this.redoStack = this.redoStack.filter((b) => b.list !== list)
  }

  private async step(from: EditBatch[], to: EditBatch[], list: number): Promise<EditOutcome | null> {
    const at = from.map((b) => b.list).lastIndexOf(list)
    if (at < 0) return null
    const batch = from[at]!
    try {
      const outcome = await this.apply(batch)
      from.splice(at, 1)
      this.push(to, outcome.inverse)
      return outcome
    } catch (error) {
      from.splice(at, 1)
      throw error
    }
  }

  private push(stack: EditBatch[], batch: EditBatch) {
    stack.push(batch)
    if (stack.length > this.limit) stack.splice(0, stack.length - this.limit)
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    this.inFlight += 1
    const next = this.queue.then(work, work).finally(() => {
      this.inFlight -= 1
    })
    this.queue = next.catch(() => undefined)
    return next
  }

  /** Both stacks as they are, to be taken back after a renewal of the page (lib/pageRenewal.ts). */
  restore(undo: EditBatch[], redo: EditBatch[]): void {
    this.undoStack = undo.slice(-this.limit)
    this.redoStack = redo.slice(-this.limit)
  }
}

function lastOf(stack: readonly EditBatch[], list: number): EditBatch | undefined {
  for (let i = stack.length - 1; i >= 0; i--) if (stack[i]!.list === list) return stack[i]
  return undefined
}

export type Shortcut = 'undo' | 'redo' | 'find' | 'save'

/** The editor's shortcut for a key press, if any: Ctrl+Z undo, Ctrl+Y or Ctrl+Shift+Z redo,
 * Ctrl+F find, Ctrl+S save (⌘ instead of Ctrl on a Mac keyboard). */
export function shortcutOf(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): Shortcut | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return null
  const key = event.key.toLowerCase()
  if (key === 'z') return event.shiftKey ? 'redo' : 'undo'
  if (key === 'y' && !event.shiftKey) return 'redo'
  if (key === 'f' && !event.shiftKey) return 'find'
  if (key === 's' && !event.shiftKey) return 'save'
  return null
}

/** Inputs that take no typed text: a key pressed while one has the focus is not typing. */
const NOT_TYPED = new Set(['button', 'checkbox', 'color', 'file', 'image', 'radio', 'range', 'reset', 'submit'])

/** Whether a key press belongs to a text field (its own undo, its own find). A radio button
 * is no text field: the view switch (清单/公示/…) keeps the focus after a click, and counting
 * it as one swallowed the grid's Enter and arrows after coming back to 清单. */
export function typingInField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target.isContentEditable) return true
  if (target instanceof HTMLInputElement) return !NOT_TYPED.has(target.type)
  return target.tagName === 'TEXTAREA' || target.tagName === 'SELECT'
}
