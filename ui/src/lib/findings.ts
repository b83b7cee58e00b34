// The checks panel's model: findings grouped by grade (红 / 黄 / 蓝) and, within a grade, by
// rule, with counts of what is still open (not exempted: 豁免, docs/checks.md).

import type { Finding, Grade, Report, Subject, Summary } from '../api'

export const GRADE_ORDER: readonly Grade[] = ['red', 'yellow', 'blue']

export const GRADE_LABELS: Record<Grade, string> = {
  red: '红色',
  yellow: '黄色',
  blue: '蓝色',
}

export interface RuleGroup {
  rule: string
  title: string
  findings: Finding[]
  /** Findings not accepted. */
  open: number
}

export interface GradeGroup {
  grade: Grade
  label: string
  rules: RuleGroup[]
  open: number
  total: number
}

/** Group findings by grade, then rule (in the order the report gives them). Accepted findings
 * are left out unless `withWaived`; counts always cover every finding of the group. */
export function groupFindings(findings: readonly Finding[], withWaived: boolean): GradeGroup[] {
  const groups: GradeGroup[] = []
  for (const grade of GRADE_ORDER) {
    const ofGrade = findings.filter((f) => f.grade === grade)
    if (ofGrade.length === 0) continue
    const rules: RuleGroup[] = []
    for (const finding of ofGrade) {
      let group = rules.find((r) => r.rule === finding.rule)
      if (!group) {
        group = { rule: finding.rule, title: finding.title, findings: [], open: 0 }
        rules.push(group)
      }
      if (!finding.waived) group.open += 1
      if (withWaived || !finding.waived) group.findings.push(finding)
    }
    groups.push({
      grade,
      label: GRADE_LABELS[grade],
      rules: rules.filter((r) => r.findings.length > 0 || withWaived),
      open: rules.reduce((n, r) => n + r.open, 0),
      total: ofGrade.length,
    })
  }
  return groups
}

/** The items a finding is about, to jump to. */
export function itemSubjects(finding: Finding): Subject[] {
  return finding.subjects.filter((s) => s.kind === 'item')
}

/** A finding after it was exempted (豁免) with `reason` (the report is not re-run for that). */
export function accepted(finding: Finding, reason: string): Finding {
  return { ...finding, waived: true, waiver_reason: reason, waiver_lapsed: false }
}

/** A finding after its 豁免 was withdrawn: open again. */
export function withdrawn(finding: Finding): Finding {
  return { ...finding, waived: false, waiver_reason: null, waiver_lapsed: false }
}

/** The report's summary counted from its findings, as the checks count it (quanze-checks: the
 * grade and severity counts and `by_rule` leave exempted findings out; `total` holds all). */
export function summaryOf(findings: readonly Finding[]): Summary {
  const summary: Summary = { total: 0, waived: 0, errors: 0, warnings: 0, infos: 0, red: 0, yellow: 0, blue: 0, by_rule: {} }
  for (const f of findings) {
    summary.total += 1
    if (f.waived) {
      summary.waived += 1
      continue
    }
    if (f.severity === 'error') summary.errors += 1
    else if (f.severity === 'warning') summary.warnings += 1
    else summary.infos += 1
    summary[f.grade] += 1
    summary.by_rule[f.rule] = (summary.by_rule[f.rule] ?? 0) + 1
  }
  return summary
}

/** `report` with the finding `key` changed by `change`, and its summary counted again: an
 * exemption or its withdrawal shows at once in every count (issue 18: 红 8 beside 待处理 7). */
export function withFinding(report: Report, key: string, change: (finding: Finding) => Finding): Report {
  const findings = report.findings.map((f) => (f.key === key ? change(f) : f))
  return { findings, summary: summaryOf(findings) }
}
