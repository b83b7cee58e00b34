import { describe, expect, it } from 'vitest'
import type { AuditEntry } from '../api'
import { changedFields, entityIds, entryInList, isRun, shortTime, valueText } from './audit'

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

/** An import's one entry for items #101–#600 of list 3. */
function run(partial: Partial<AuditEntry> = {}): AuditEntry {
  return entry({
    action: '新增',
    entity_id: 101,
    entity_id_last: 600,
    label: '住建局权责清单：导入 住建局.xlsx（500 项）',
    after: {
      list: 3,
      来源: '导入 住建局.xlsx',
      事项: '#101–#600（500 项）',
      文件: '住建局.xlsx',
      'SHA-256': 'ab12…',
      行: '权责清单 第 3–502 行',
    },
    ...partial,
  })
}

describe('runs of items written at once', () => {
  it('shows an entity id, or a run\'s first and last', () => {
    expect(entityIds(entry({ entity_id: 7 }))).toBe('#7')
    expect(entityIds(run())).toBe('#101–#600')
    expect(entityIds(entry({ entity_id: 5, entity_id_last: 5 }))).toBe('#5')
  })

  it('tells a run from an item', () => {
    expect(isRun(run())).toBe(true)
    // A run of one item names itself as its last (the store writes entity_id_last for every run).
    expect(isRun(run({ entity_id: 9, entity_id_last: 9, after: { list: 3, 来源: '载入 示例区.qzb.yaml', 事项: '#9–#9（1 项）' } }))).toBe(true)
    expect(isRun(entry({ action: '新增', after: { id: 7, list: 3, name: 'x' } }))).toBe(false)
    expect(isRun(entry({ before: { id: 7, list: 3, name: 'a' }, after: { id: 7, list: 3, name: 'b' } }))).toBe(false)
  })

  it('opens to the summary\'s labels and values, without the list', () => {
    expect(changedFields(run())).toEqual([
      { field: '来源', before: '', after: '导入 住建局.xlsx' },
      { field: '事项', before: '', after: '#101–#600（500 项）' },
      { field: '文件', before: '', after: '住建局.xlsx' },
      { field: 'SHA-256', before: '', after: 'ab12…' },
      { field: '行', before: '', after: '权责清单 第 3–502 行' },
    ])
  })

  it('belongs to the list its items went into', () => {
    expect(entryInList(run(), 3)).toBe(true)
    expect(entryInList(run(), 4)).toBe(false)
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
