// The grid's editor for a cell whose field has choices (权力类型, 类别; see choices.ts): a text
// box, as RevoGrid's own editor, with the choices listed under it. ↓/↑ move through the list,
// Enter takes the marked choice (or the typed text when none is marked), a click takes a
// choice, Tab keeps the typed text, Esc leaves the cell as it was. The list narrows to what is
// typed. It hangs from the page's body, not from the grid, so that the grid's viewport does not
// clip it under the last rows.

import type { ColumnDataSchemaModel, EditCell, EditorBase, EditorCtrConstructible, HyperFunc, VNode } from '@revolist/revogrid'
import { matchingChoices, type FieldChoices } from './choices'

let lists = 0

/** An editor class for the grid's `editors`; `choicesOf` gives a cell's choices when its
 * editing starts (null: the field has none, the list is empty). */
export function choiceEditor(choicesOf: (prop: string) => FieldChoices | null): EditorCtrConstructible {
  return class ChoiceEditor implements EditorBase {
    element: Element | null = null
    editCell?: EditCell
    private input: HTMLInputElement | null = null
    private list: HTMLUListElement | null = null
    private readonly listId = `grid-choices-${++lists}`
    private readonly values: string[]
    /** The marked choice, by index among those shown; -1: none. */
    private marked = -1

    constructor(
      private readonly data: ColumnDataSchemaModel,
      private readonly save: (value: unknown, preventFocus?: boolean) => void,
    ) {
      this.values = choicesOf(String(data.prop))?.values ?? []
    }

    render(h: HyperFunc<VNode>) {
      return h('input', {
        type: 'text',
        class: 'choice-input',
        value: this.editCell?.val ?? '',
        role: 'combobox',
        'aria-autocomplete': 'list',
        'aria-expanded': 'true',
        'aria-controls': this.listId,
        'aria-label': `${String(this.data.column?.name ?? '')}：↓↑ 选择，回车确定`,
        ref: (el?: HTMLInputElement) => {
          this.input = el ?? null
        },
        onKeyDown: (event: KeyboardEvent) => this.onKeyDown(event),
        onInput: () => this.narrow(),
      })
    }

    async componentDidRender() {
      if (!this.input) return
      if (!this.list) this.openList()
      await new Promise((resolve) => setTimeout(resolve))
      this.input?.focus()
    }

    appendPendingInput(value: string): boolean {
      if (!this.input) return false
      this.input.value += value
      this.input.focus()
      this.narrow()
      return true
    }

    getValue() {
      return this.input?.value
    }

    beforeDisconnect() {
      this.input?.blur()
    }

    disconnectedCallback() {
      this.list?.remove()
      this.list = null
    }

    private openList() {
      if (this.values.length === 0 || !this.input) return
      const list = document.createElement('ul')
      list.id = this.listId
      list.className = 'grid-choices'
      list.setAttribute('role', 'listbox')
      list.dataset.testid = 'grid-choices'
      for (const value of this.values) {
        const option = document.createElement('li')
        option.textContent = value
        option.dataset.value = value
        option.setAttribute('role', 'option')
        option.setAttribute('aria-selected', 'false')
        // Taken on the press, before the grid sees a press outside itself and closes the cell.
        option.addEventListener('mousedown', (event) => {
          event.preventDefault()
          event.stopPropagation()
          this.take(value)
        })
        list.appendChild(option)
      }
      document.body.appendChild(list)
      this.list = list
      this.place()
      this.narrow()
    }

    /** Under the cell, or above it when there is no room below. */
    private place() {
      const list = this.list
      const input = this.input
      if (!list || !input) return
      const cell = input.getBoundingClientRect()
      list.style.left = `${Math.round(cell.left)}px`
      list.style.minWidth = `${Math.round(cell.width)}px`
      const height = Math.min(list.scrollHeight, 240)
      if (cell.bottom + height > window.innerHeight && cell.top - height >= 0) {
        list.style.top = `${Math.round(cell.top - height)}px`
      } else {
        list.style.top = `${Math.round(cell.bottom)}px`
      }
    }

    private shown(): HTMLLIElement[] {
      return this.list ? [...this.list.querySelectorAll<HTMLLIElement>('li:not([hidden])')] : []
    }

    private narrow() {
      if (!this.list) return
      const fitting = new Set(matchingChoices(this.values, this.input?.value ?? ''))
      for (const option of this.list.querySelectorAll<HTMLLIElement>('li')) {
        option.hidden = !fitting.has(option.dataset.value ?? '')
      }
      this.list.hidden = fitting.size === 0
      this.mark(-1)
      this.place()
    }

    private mark(index: number) {
      const shown = this.shown()
      this.marked = shown.length === 0 ? -1 : Math.max(-1, Math.min(index, shown.length - 1))
      this.list?.querySelectorAll('li').forEach((option) => option.setAttribute('aria-selected', 'false'))
      const option = shown[this.marked]
      if (option) {
        option.setAttribute('aria-selected', 'true')
        option.scrollIntoView?.({ block: 'nearest' })
        this.input?.setAttribute('aria-activedescendant', `${this.listId}-${this.marked}`)
        option.id = `${this.listId}-${this.marked}`
      } else {
        this.input?.removeAttribute('aria-activedescendant')
      }
    }

    private take(value: string, preventFocus = false) {
      this.beforeDisconnect()
      this.save(value, preventFocus)
    }

    private onKeyDown(event: KeyboardEvent) {
      if (event.isComposing) return
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault()
        event.stopPropagation()
        const count = this.shown().length
        if (count === 0) return
        const next = event.key === 'ArrowDown' ? this.marked + 1 : this.marked < 0 ? count - 1 : this.marked - 1
        this.mark((next + count) % count)
        return
      }
      if (event.key === 'Enter') {
        const option = this.shown()[this.marked]
        this.take(option?.dataset.value ?? this.input?.value ?? '')
        return
      }
      if (event.key === 'Tab') this.take(this.input?.value ?? '', true)
    }
  }
}
