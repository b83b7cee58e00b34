import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Report } from '../api'
import { ChecksRunner } from './checksRunner'

function report(total: number): Report {
  return {
    findings: [],
    summary: { total, waived: 0, errors: 0, warnings: 0, infos: 0, red: 0, yellow: 0, blue: 0, by_rule: {} },
  }
}

/** A check whose answers the test releases by hand, in any order. */
function controlledCheck() {
  const pending: Array<(r: Report) => void> = []
  const check = vi.fn(() => new Promise<Report>((resolve) => pending.push(resolve)))
  return { check, pending }
}

describe('ChecksRunner', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('does not re-run after an edit when checks never ran this session', async () => {
    const { check } = controlledCheck()
    const runner = new ChecksRunner(check, () => {}, 800)
    runner.afterEdit()
    await vi.advanceTimersByTimeAsync(2000)
    expect(check).not.toHaveBeenCalled()
    expect(runner.busy).toBe(false)
  })

  it('re-runs once after a quiet spell following several edits', async () => {
    const { check, pending } = controlledCheck()
    const runner = new ChecksRunner(check, () => {}, 800)
    const first = runner.run()
    pending[0]!(report(1))
    await first
    expect(runner.report?.summary.total).toBe(1)

    runner.afterEdit()
    expect(runner.busy).toBe(true)
    await vi.advanceTimersByTimeAsync(500)
    runner.afterEdit()
    await vi.advanceTimersByTimeAsync(500)
    expect(check).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(300)
    expect(check).toHaveBeenCalledTimes(2)
    pending[1]!(report(2))
    await vi.advanceTimersByTimeAsync(0)
    expect(runner.report?.summary.total).toBe(2)
    expect(runner.busy).toBe(false)
  })

  it('drops a stale answer that arrives after a newer run started', async () => {
    const { check, pending } = controlledCheck()
    const runner = new ChecksRunner(check, () => {}, 800)
    const older = runner.run()
    const newer = runner.run()
    pending[1]!(report(2))
    await newer
    pending[0]!(report(1))
    await older
    expect(runner.report?.summary.total).toBe(2)
    expect(runner.busy).toBe(false)
  })

  it('an edit during a run makes that run stale', async () => {
    const { check, pending } = controlledCheck()
    const runner = new ChecksRunner(check, () => {}, 800)
    const running = runner.run()
    runner.afterEdit()
    pending[0]!(report(1))
    await running
    expect(runner.report).toBeNull()
    expect(runner.busy).toBe(true)
    await vi.advanceTimersByTimeAsync(800)
    pending[1]!(report(3))
    await vi.advanceTimersByTimeAsync(0)
    expect(runner.report?.summary.total).toBe(3)
  })

  it('reports an error of the latest run only, and reset forgets the session', async () => {
    const errors: unknown[] = []
    let fail = true
    const runner = new ChecksRunner(
      () => (fail ? Promise.reject(new Error('坏了')) : Promise.resolve(report(5))),
      (e) => errors.push(e),
      800,
    )
    await runner.run()
    expect(errors).toHaveLength(1)
    expect(runner.started).toBe(true)
    fail = false
    await runner.run()
    expect(runner.report?.summary.total).toBe(5)
    runner.reset()
    expect(runner.report).toBeNull()
    runner.afterEdit()
    expect(runner.busy).toBe(false)
  })
})
