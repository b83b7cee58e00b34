import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ColumnDataSchemaModel, HyperFunc, VNode } from '@revolist/revogrid'
import { POWER_TYPES } from '../api/bindings'
import { fieldChoices } from './choices'
import { choiceEditor } from './choiceEditor'

/** Stencil's `h` for the one input the editor renders: a real element, its ref and handlers. */
const h = ((tag: string, props: Record<string, unknown>) => {
  const el = document.createElement(tag) as HTMLInputElement
  el.value = String(props.value ?? '')
  for (const [key, value] of Object.entries(props)) {
    if (key === 'ref') (value as (el: HTMLElement) => void)(el)
    else if (key === 'onKeyDown') el.addEventListener('keydown', value as EventListener)
    else if (key === 'onInput') el.addEventListener('input', value as EventListener)
    else if (typeof value === 'string') el.setAttribute(key, value)
  }
  document.body.appendChild(el)
  return el
}) as unknown as HyperFunc<VNode>

async function open(prop: string, val: string) {
  const save = vi.fn()
  const Editor = choiceEditor((p) => (p === 'power_type' ? fieldChoices({ standard: 'power_type' }) : null))
  const editor = new Editor({ prop, column: { name: '权力类型' } } as unknown as ColumnDataSchemaModel, save, () => {})
  editor.editCell = { val } as never
  const input = editor.render(h) as unknown as HTMLInputElement
  await editor.componentDidRender?.()
  return { editor, input, save }
}

const shown = () => [...document.querySelectorAll<HTMLLIElement>('ul.grid-choices li:not([hidden])')].map((li) => li.textContent)
const key = (input: HTMLInputElement, k: string) => input.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }))

afterEach(() => {
  document.body.innerHTML = ''
})

describe('the grid editor of a cell with choices', () => {
  it('lists the ten 权力类型 under the cell, and ↓ Enter takes one', async () => {
    const { editor, input, save } = await open('power_type', '')
    expect(shown()).toEqual([...POWER_TYPES])
    expect(document.querySelector('ul.grid-choices')?.getAttribute('role')).toBe('listbox')
    key(input, 'ArrowDown')
    key(input, 'ArrowDown')
    expect(document.querySelector('li[aria-selected=true]')?.textContent).toBe('行政处罚')
    key(input, 'Enter')
    expect(save).toHaveBeenCalledWith('行政处罚', false)
    editor.disconnectedCallback?.()
    expect(document.querySelector('ul.grid-choices')).toBeNull()
  })

  it('narrows the list to what is typed; Enter with nothing marked keeps the typed text', async () => {
    const { input, save } = await open('power_type', '')
    input.value = '强制'
    input.dispatchEvent(new Event('input'))
    expect(shown()).toEqual(['行政强制'])
    input.value = '行政备案'
    input.dispatchEvent(new Event('input'))
    expect(shown()).toEqual([])
    key(input, 'Enter')
    expect(save).toHaveBeenCalledWith('行政备案', false)
  })

  it('takes a choice on a press of the mouse', async () => {
    const { save } = await open('power_type', '行政许可')
    const option = [...document.querySelectorAll('ul.grid-choices li')].find((li) => li.textContent === '行政检查')!
    option.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, cancelable: true }))
    expect(save).toHaveBeenCalledWith('行政检查', false)
  })

  it('is a plain text box for a field without choices', async () => {
    const { input, save } = await open('name', '事项')
    expect(document.querySelector('ul.grid-choices')).toBeNull()
    key(input, 'Tab')
    expect(save).toHaveBeenCalledWith('事项', true)
  })
})
