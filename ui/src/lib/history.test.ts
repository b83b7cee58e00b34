import { describe, expect, it } from 'vitest'
import type { EditBatch, EditOutcome } from '../api'
import { EditHistory, shortcutOf, typingInField } from './history'

/** A fake backend: a list of names; a batch renames item 1 to the value it carries. */
function backend() {
  const state = { name: '原名', applied: [] as string[] }
  const apply = async (batch: EditBatch): Promise<EditOutcome> => {
    const edit = batch.edits[0]
    if (!edit || edit.op !== 'set') throw new Error('unexpected')
    if (edit.value === '拒绝') throw Object.assign(new Error('未保存'), { code: 'invalid_input' })
    const before = state.name
    state.name = edit.value
    state.applied.push(batch.reason)
    const reason = batch.reason.startsWith('撤销：')
      ? batch.reason.replace('撤销：', '重做：')
      : batch.reason.startsWith('重做：')
        ? batch.reason.replace('重做：', '撤销：')
        : `撤销：${batch.reason}`
    return {
      inverse: { list: 1, reason, edits: [{ op: 'set', item: 1, field: { standard: 'name' }, value: before }] },
      changed: [],
      removed: [],
      reordered: false,
      total: 1,
    }
  }
  return { state, apply }
}

const rename = (value: string): EditBatch => ({
  list: 1,
  reason: `改为${value}`,
  edits: [{ op: 'set', item: 1, field: { standard: 'name' }, value }],
})

describe('EditHistory', () => {
  it('undoes and redoes through the inverse batches the backend returns', async () => {
    const { state, apply } = backend()
    const history = new EditHistory(apply)
    await history.run(rename('甲'))
    await history.run(rename('乙'))
    expect(state.name).toBe('乙')
    expect(history.undoReason(1)).toBe('改为乙')
    await history.undo(1)
    expect(state.name).toBe('甲')
    expect(history.redoReason(1)).toBe('改为乙')
    await history.undo(1)
    expect(state.name).toBe('原名')
    expect(history.canUndo(1)).toBe(false)
    expect(await history.undo(1)).toBeNull()
    await history.redo(1)
    await history.redo(1)
    expect(state.name).toBe('乙')
    expect(history.canRedo(1)).toBe(false)
    expect(state.applied).toEqual(['改为甲', '改为乙', '撤销：改为乙', '撤销：改为甲', '重做：改为甲', '重做：改为乙'])
  })

  it('forgets what could be redone once a new change is made', async () => {
    const { apply } = backend()
    const history = new EditHistory(apply)
    await history.run(rename('甲'))
    await history.undo(1)
    expect(history.canRedo(1)).toBe(true)
    await history.run(rename('丙'))
    expect(history.canRedo(1)).toBe(false)
  })

  it('keeps nothing of a refused change and drops a refused undo', async () => {
    const { state, apply } = backend()
    const history = new EditHistory(apply)
    await expect(history.run(rename('拒绝'))).rejects.toThrow('未保存')
    expect(history.canUndo(1)).toBe(false)
    await history.run(rename('甲'))
    history.undoStack[0]!.edits = [{ op: 'set', item: 1, field: { standard: 'name' }, value: '拒绝' }]
    await expect(history.undo(1)).rejects.toThrow()
    expect(history.canUndo(1)).toBe(false)
    expect(state.name).toBe('甲')
  })

  it('applies batches in the order asked', async () => {
    const { state, apply } = backend()
    const history = new EditHistory(apply)
    await Promise.all([history.run(rename('一')), history.run(rename('二')), history.undo(1)])
    expect(state.applied).toEqual(['改为一', '改为二', '撤销：改为二'])
    expect(state.name).toBe('一')
  })

  it('keeps at most `limit` batches', async () => {
    const { apply } = backend()
    const history = new EditHistory(apply, 2)
    for (const v of ['a', 'b', 'c']) await history.run(rename(v))
    expect(history.undoStack.map((b) => b.reason)).toEqual(['撤销：改为b', '撤销：改为c'])
  })

  it('counts the batches not yet answered (a renewal of the page waits for them), failed ones too', async () => {
    const { apply } = backend()
    const history = new EditHistory(apply)
    const first = history.run(rename('一'))
    const refused = history.run(rename('拒绝'))
    expect(history.inFlight).toBe(2)
    await first
    await refused.catch(() => undefined)
    expect(history.inFlight).toBe(0)
  })

  it('takes back the stacks a renewal of the page kept, and undo works on them', async () => {
    const { state, apply } = backend()
    const before = new EditHistory(apply)
    await before.run(rename('新名'))
    const after = new EditHistory(apply)
    after.restore(JSON.parse(JSON.stringify(before.undoStack)), [])
    expect(after.canUndo(1)).toBe(true)
    await after.undo(1)
    expect(state.name).toBe('原名')
    expect(after.canRedo(1)).toBe(true)
  })
})

describe('EditHistory per list (issue 18: 撤销 undid a paste in a list not on screen)', () => {
  /** A backend of names by list: a batch sets its list's name; the inverse sets it back. */
  function lists() {
    const names = new Map<number, string>([[1, '一原名'], [2, '二原名']])
    const apply = async (batch: EditBatch): Promise<EditOutcome> => {
      const edit = batch.edits[0]
      if (!edit || edit.op !== 'set') throw new Error('unexpected')
      const before = names.get(batch.list)!
      names.set(batch.list, edit.value)
      return {
        inverse: { list: batch.list, reason: `撤销：${batch.reason}`, edits: [{ op: 'set', item: 1, field: { standard: 'name' }, value: before }] },
        changed: [],
        removed: [],
        reordered: false,
        total: 1,
      }
    }
    return { names, apply }
  }
  const set = (list: number, value: string): EditBatch => ({ list, reason: `改为${value}`, edits: [{ op: 'set', item: 1, field: { standard: 'name' }, value }] })

  it('undoes only the open list\'s changes, newest first, and never another list\'s', async () => {
    const { names, apply } = lists()
    const history = new EditHistory(apply)
    await history.run(set(1, '甲'))
    await history.run(set(2, '乙'))
    await history.run(set(1, '丙'))
    expect(history.canUndo(3)).toBe(false)
    expect(await history.undo(3)).toBeNull()
    expect(history.undoReason(2)).toBe('改为乙')
    await history.undo(2)
    expect(names.get(2)).toBe('二原名')
    expect(names.get(1)).toBe('丙')
    expect(history.canUndo(2)).toBe(false)
    expect(history.canRedo(2)).toBe(true)
    expect(history.canRedo(1)).toBe(false)
    await history.undo(1)
    expect(names.get(1)).toBe('甲')
    // A new change in list 1 forgets list 1's redo, not list 2's.
    await history.run(set(1, '丁'))
    expect(history.canRedo(1)).toBe(false)
    expect(history.canRedo(2)).toBe(true)
    await history.redo(2)
    expect(names.get(2)).toBe('乙')
    history.forget(1)
    expect(history.canUndo(1)).toBe(false)
    expect(history.canUndo(2)).toBe(true)
  })
})

describe('shortcutOf', () => {
  const key = (k: string, mods: Partial<KeyboardEvent> = {}) => ({
    key: k,
    ctrlKey: true,
    metaKey: false,
    shiftKey: false,
    altKey: false,
    ...mods,
  })
  it('maps Ctrl+Z / Ctrl+Y / Ctrl+Shift+Z / Ctrl+F', () => {
    expect(shortcutOf(key('z'))).toBe('undo')
    expect(shortcutOf(key('Z', { shiftKey: true }))).toBe('redo')
    expect(shortcutOf(key('y'))).toBe('redo')
    expect(shortcutOf(key('f'))).toBe('find')
    expect(shortcutOf(key('z', { ctrlKey: false, metaKey: true }))).toBe('undo')
  })
  it('ignores plain letters and other chords', () => {
    expect(shortcutOf(key('z', { ctrlKey: false }))).toBeNull()
    expect(shortcutOf(key('z', { altKey: true }))).toBeNull()
    expect(shortcutOf(key('c'))).toBeNull()
  })
  it('knows text fields', () => {
    expect(typingInField(document.createElement('input'))).toBe(true)
    expect(typingInField(document.createElement('textarea'))).toBe(true)
    expect(typingInField(document.createElement('div'))).toBe(false)
    expect(typingInField(null)).toBe(false)
  })
  it('does not take a radio button or a checkbox for a text field (regression: the grid lost Enter after 清单 was clicked)', () => {
    const input = (type: string) => Object.assign(document.createElement('input'), { type })
    expect(typingInField(input('radio'))).toBe(false)
    expect(typingInField(input('checkbox'))).toBe(false)
    expect(typingInField(input('search'))).toBe(true)
    expect(typingInField(input('number'))).toBe(true)
  })
})
