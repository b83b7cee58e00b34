import { describe, expect, it } from 'vitest'
import type { Finding, Grade, Report } from '../api'
import { badgeTitle, findingBadges } from './badges'
import { sampleTree } from './fixtures'

function finding(key: string, grade: Grade, jurisdictions: number[], waived = false): Finding {
  return {
    key,
    rule: 'r',
    severity: 'error',
    grade,
    title: 't',
    message: 'm',
    subjects: [],
    jurisdictions,
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

// Tree: 1 示例区 → 2 东门街道 → 4 东门社区; 1 → 3 青山镇 → 5 石桥村.
describe('finding badges of the tree', () => {
  it('counts each open red/yellow finding once on its jurisdictions and their ancestors', () => {
    const badges = findingBadges(
      report([
        // A community and its street: counted once on each, once on the district.
        finding('a', 'red', [2, 4]),
        // A community of each street: both streets, the district once.
        finding('b', 'yellow', [4, 5]),
        // The street itself.
        finding('c', 'red', [2]),
        // Blue and waived findings are not counted.
        finding('d', 'blue', [4]),
        finding('e', 'red', [4], true),
      ]),
      sampleTree(),
    )
    expect(badges.get(4)).toEqual({ red: 1, yellow: 1 })
    expect(badges.get(2)).toEqual({ red: 2, yellow: 1 })
    expect(badges.get(5)).toEqual({ red: 0, yellow: 1 })
    expect(badges.get(3)).toEqual({ red: 0, yellow: 1 })
    expect(badges.get(1)).toEqual({ red: 2, yellow: 1 })
  })

  it('a finding that names no jurisdiction counts on the root only', () => {
    const badges = findingBadges(report([finding('a', 'red', [])]), sampleTree())
    expect([...badges.entries()]).toEqual([[1, { red: 1, yellow: 0 }]])
  })

  it('an unknown jurisdiction (deleted since) counts there only, never loops', () => {
    const badges = findingBadges(report([finding('a', 'yellow', [99])]), sampleTree())
    expect([...badges.entries()]).toEqual([[99, { red: 0, yellow: 1 }]])
  })

  it('words the badge for screen readers', () => {
    expect(badgeTitle({ red: 2, yellow: 1 })).toBe('红色问题 2 个，黄色问题 1 个')
    expect(badgeTitle({ red: 0, yellow: 3 })).toBe('黄色问题 3 个')
  })
})
