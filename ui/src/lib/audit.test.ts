import { describe, expect, it } from 'vitest'
import type { AuditEntry } from '../api'
import { changedFields, entryInList, shortTime, valueText } from './audit'

function entry(partial: Partial<AuditEntry>): AuditEntry {
  return {
    id: 1,
    at: '2025-06-30T14:05:09+08:00',
    actor: '张三',
    action: '修改',
    entity: '事项',
    entity_id: 7,
    label: '占道经营查处',
    before: null,
    after: null,
    reason: null,
    ...partial,
  }
}

describe('entryInList', () => {
  it('takes the list itself and its items, before or after the change', () => {
    expect(entryInList(entry({ entity: '清单', entity_id: 3 }), 3)).toBe(true)
    expect(entryInList(entry({ entity: '清单', entity_id: 4 }), 3)).toBe(false)
    expect(entryInList(entry({ after: { list: 3, name: 'a' } }), 3)).toBe(true)
    expect(entryInList(entry({ action: '删除', before: { list: 3 }, after: null }), 3)).toBe(true)
    expect(entryInList(entry({ after: { list: 4 } }), 3)).toBe(false)
    expect(entryInList(entry({ entity: '机构', entity_id: 3, after: { list: 3 } }), 3)).toBe(false)
  })
})

describe('changedFields', () => {
  it('lists the fields whose text changed, as text, without the id', () => {
    const changes = changedFields(
      entry({
        before: { id: 7, list: 3, name: '旧名', remarks: null, extra: [{ header: 'a', value: '1' }] },
        after: { id: 7, list: 3, name: '<b>新名</b>', basis: '《条例》', extra: [{ header: 'a', value: '1' }] },
      }),
    )
    expect(changes).toEqual([
      { field: 'name', before: '旧名', after: '<b>新名</b>' },
      { field: 'basis', before: '', after: '《条例》' },
    ])
  })

  it('shows a creation as every field after', () => {
    expect(changedFields(entry({ action: '新增', after: { id: 1, name: 'x', position: 0 } }))).toEqual([
      { field: 'name', before: '', after: 'x' },
      { field: 'position', before: '', after: '0' },
    ])
  })
})

describe('text helpers', () => {
  it('formats values and times', () => {
    expect(valueText(true)).toBe('true')
    expect(valueText([1, 2])).toBe('[1,2]')
    expect(valueText(undefined)).toBe('')
    expect(shortTime('2025-06-30T14:05:09.123+08:00')).toBe('2025-06-30 14:05:09')
    expect(shortTime('garbage')).toBe('garbage')
  })
})
