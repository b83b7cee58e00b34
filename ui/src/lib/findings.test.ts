import { describe, expect, it } from 'vitest'
import type { Finding } from '../api'
import { accepted, groupFindings, itemSubjects, summaryOf, withdrawn, withFinding } from './findings'

function finding(key: string, grade: Finding['grade'], rule: string, waived = false): Finding {
  return {
    key,
    rule,
    severity: 'warning',
    grade,
    title: `规则${rule}`,
    message: `问题${key}`,
    subjects: [
      { kind: 'item', id: 1, label: '事项一' },
      { kind: 'unit', id: 2, label: '机构' },
    ],
    jurisdictions: [],
    evidence: { type: 'facts', lines: [] },
    fingerprint: 'f',
    waived,
    waiver_reason: waived ? '已说明' : null,
    waiver_lapsed: false,
  }
}

describe('groupFindings', () => {
  const findings = [
    finding('a', 'blue', 'overlap.near'),
    finding('b', 'red', 'org.overstaffed'),
    finding('c', 'blue', 'overlap.near', true),
    finding('d', 'blue', 'overlap.exact'),
  ]

  it('groups by grade (red first), then by rule, counting open findings', () => {
    const groups = groupFindings(findings, false)
    expect(groups.map((g) => [g.grade, g.open, g.total])).toEqual([
      ['red', 1, 1],
      ['blue', 2, 3],
    ])
    const blue = groups[1]!
    expect(blue.rules.map((r) => [r.rule, r.open, r.findings.map((f) => f.key)])).toEqual([
      ['overlap.near', 1, ['a']],
      ['overlap.exact', 1, ['d']],
    ])
  })

  it('shows accepted findings on request', () => {
    const blue = groupFindings(findings, true)[1]!
    expect(blue.rules[0]!.findings.map((f) => f.key)).toEqual(['a', 'c'])
  })

  it('lists the items of a finding and marks it accepted', () => {
    const f = finding('x', 'red', 'r')
    expect(itemSubjects(f).map((s) => s.id)).toEqual([1])
    expect(accepted(f, '理由')).toMatchObject({ waived: true, waiver_reason: '理由' })
  })
})

describe('summaryOf and withFinding', () => {
  it('count exempted findings apart, as the checks do, and follow an exemption and its withdrawal', () => {
    const report = { findings: [finding('a', 'red', 'r1'), finding('b', 'red', 'r1'), finding('c', 'blue', 'r2', true)], summary: summaryOf([]) }
    expect(summaryOf(report.findings)).toEqual({ total: 3, waived: 1, errors: 0, warnings: 2, infos: 0, red: 2, yellow: 0, blue: 0, by_rule: { r1: 2 } })
    const exempted = withFinding(report, 'a', (f) => accepted(f, '理由'))
    expect(exempted.summary).toMatchObject({ total: 3, waived: 2, red: 1, by_rule: { r1: 1 } })
    const back = withFinding(exempted, 'a', withdrawn)
    expect(back.summary).toMatchObject({ waived: 1, red: 2 })
    expect(back.findings[0]).toMatchObject({ waived: false, waiver_reason: null })
  })
})
