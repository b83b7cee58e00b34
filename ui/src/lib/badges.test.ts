import { describe, expect, it } from 'vitest'
import type { Finding, Grade, Report, Subject } from '../api'
import { badgeTitle, findingBadges, itemsToLocate, subjectJurisdiction } from './badges'
import { list, sampleTree } from './fixtures'

function finding(key: string, grade: Grade, subjects: Subject[], waived = false): Finding {
  return {
    key,
    rule: 'r',
    severity: 'error',
    grade,
    title: 't',
    message: 'm',
    subjects,
    evidence: { type: 'facts', lines: [] },
    fingerprint: 'f',
    waived,
    waiver_reason: null,
    waiver_lapsed: false,
  }
}

function report(findings: Finding[]): Report {
  return {
    findings,
    summary: { total: findings.length, waived: 0, errors: 0, warnings: 0, infos: 0, red: 0, yellow: 0, blue: 0, by_rule: {} },
  }
}

const item = (id: number): Subject => ({ kind: 'item', id, label: `事项${id}` })

// Tree: 1 示例区 → 2 东门街道 → 4 东门社区; 1 → 3 青山镇 → 5 石桥村.
const lists = [list(10, 2, { unit: 7 }), list(11, 4), list(12, 1)]

describe('finding badges of the tree', () => {
  it('places subjects through lists, units with lists, items located, and jurisdictions', () => {
    const items = new Map([[100, 4]])
    expect(subjectJurisdiction({ kind: 'list', id: 11, label: '' }, lists, items)).toBe(4)
    expect(subjectJurisdiction({ kind: 'unit', id: 7, label: '' }, lists, items)).toBe(2)
    expect(subjectJurisdiction({ kind: 'unit', id: 8, label: '' }, lists, items)).toBeUndefined()
    expect(subjectJurisdiction(item(100), lists, items)).toBe(4)
    expect(subjectJurisdiction(item(101), lists, items)).toBeUndefined()
    expect(subjectJurisdiction({ kind: 'jurisdiction', id: 5, label: '' }, lists, items)).toBe(5)
    expect(subjectJurisdiction({ kind: 'leader', id: 5, label: '' }, lists, items)).toBeUndefined()
  })

  it('counts each open red/yellow finding once on its jurisdictions and their ancestors', () => {
    const items = new Map([
      [100, 4],
      [101, 4],
      [102, 5],
    ])
    const badges = findingBadges(
      report([
        // Two items of one community: counted once there, once on the street, once on the district.
        finding('a', 'red', [item(100), item(101)]),
        // A community of each street: both streets, the district once.
        finding('b', 'yellow', [item(100), item(102)]),
        // A unit of the street.
        finding('c', 'red', [{ kind: 'unit', id: 7, label: '' }]),
        // Blue and waived findings are not counted.
        finding('d', 'blue', [item(100)]),
        finding('e', 'red', [item(100)], true),
      ]),
      sampleTree(),
      lists,
      items,
    )
    expect(badges.get(4)).toEqual({ red: 1, yellow: 1 })
    expect(badges.get(2)).toEqual({ red: 2, yellow: 1 })
    expect(badges.get(5)).toEqual({ red: 0, yellow: 1 })
    expect(badges.get(3)).toEqual({ red: 0, yellow: 1 })
    expect(badges.get(1)).toEqual({ red: 2, yellow: 1 })
  })

  it('a finding that cannot be placed counts on the root only', () => {
    const leader: Subject = { kind: 'leader', id: 3, label: '张三' }
    const badges = findingBadges(report([finding('a', 'red', [item(100), leader])]), sampleTree(), lists, new Map())
    expect([...badges.entries()]).toEqual([[1, { red: 1, yellow: 0 }]])
  })

  it('asks to locate only unknown items of counted findings, each once', () => {
    const r = report([
      finding('a', 'red', [item(3), item(1)]),
      finding('b', 'yellow', [item(1), item(2)]),
      finding('c', 'blue', [item(9)]),
      finding('d', 'red', [item(8)], true),
    ])
    expect(itemsToLocate(r, new Map([[2, 4]]))).toEqual([1, 3])
  })

  it('words the badge for screen readers', () => {
    expect(badgeTitle({ red: 2, yellow: 1 })).toBe('红色问题 2 个，黄色问题 1 个')
    expect(badgeTitle({ red: 0, yellow: 3 })).toBe('黄色问题 3 个')
  })
})
