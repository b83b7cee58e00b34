import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Report, WorkProgress } from '../api'
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

/** A check the test can feed progress to, answer, or stop as the shell does on 取消. */
function cancellableCheck() {
  const runs: Array<{
    progress: (p: WorkProgress) => void
    answer: (r: Report) => void
    stop: () => void
  }> = []
  const check = vi.fn(
    (onProgress: (p: WorkProgress) => void) =>
      new Promise<Report>((resolve, reject) =>
        runs.push({
          progress: onProgress,
          answer: resolve,
          stop: () => reject({ code: 'cancelled', message: '检查已取消' }),
        }),
      ),
  )
  return { check, runs }
}

function step(done: number, total = 22): WorkProgress {
  return { step: `正在检查：第 ${done} 条（${done}/${total - 1}）`, done, total }
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

  it('shows the steps of the latest run only, and none once it answered', async () => {
    const { check, runs } = cancellableCheck()
    const runner = new ChecksRunner(check, () => {}, 800, vi.fn(async () => null))
    const older = runner.run()
    const newer = runner.run()
    runs[1]!.progress(step(1))
    runs[0]!.progress(step(5))
    expect(runner.progress).toEqual(step(1))
    runs[1]!.progress(step(2))
    expect(runner.progress?.done).toBe(2)
    runs[1]!.answer(report(4))
    await newer
    expect(runner.progress).toBeNull()
    runs[0]!.stop()
    await older
    expect(runner.report?.summary.total).toBe(4)
    expect(runner.cancelled).toBe(false)
  })

  it('a run the user cancels is no failure, keeps the findings before it, and edits re-run later', async () => {
    const errors: unknown[] = []
    const { check, runs } = cancellableCheck()
    const cancelChecks = vi.fn(async () => null)
    const runner = new ChecksRunner(check, (e) => errors.push(e), 800, cancelChecks)
    const first = runner.run()
    runs[0]!.answer(report(7))
    await first

    const second = runner.run()
    runs[1]!.progress(step(3))
    await runner.cancel()
    expect(cancelChecks).toHaveBeenCalledTimes(1)
    expect(runner.cancelling).toBe(true)
    expect(runner.busy).toBe(true)
    // The shell stops the run at its next rule.
    runs[1]!.stop()
    await second
    expect(errors).toEqual([])
    expect(runner.cancelled).toBe(true)
    expect(runner.cancelling).toBe(false)
    expect(runner.busy).toBe(false)
    expect(runner.progress).toBeNull()
    expect(runner.report?.summary.total).toBe(7)

    // The next edit still re-runs the checks after the quiet spell.
    runner.afterEdit()
    await vi.advanceTimersByTimeAsync(800)
    expect(check).toHaveBeenCalledTimes(3)
    expect(runner.cancelled).toBe(false)
    runs[2]!.answer(report(8))
    await vi.advanceTimersByTimeAsync(0)
    expect(runner.report?.summary.total).toBe(8)
    expect(runner.busy).toBe(false)
  })

  it('cancelling while a re-run waits for the quiet spell drops it; a later edit schedules one again', async () => {
    const { check, runs } = cancellableCheck()
    const cancelChecks = vi.fn(async () => null)
    const errors: unknown[] = []
    const runner = new ChecksRunner(check, (e) => errors.push(e), 800, cancelChecks)
    const first = runner.run()
    runs[0]!.answer(report(1))
    await first

    runner.afterEdit()
    await vi.advanceTimersByTimeAsync(300)
    await runner.cancel()
    expect(runner.busy).toBe(false)
    expect(runner.cancelled).toBe(true)
    // Whatever might still run in the shell from before the edit is asked to stop too.
    expect(cancelChecks).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(2000)
    expect(check).toHaveBeenCalledTimes(1)
    expect(runner.report?.summary.total).toBe(1)

    runner.afterEdit()
    await vi.advanceTimersByTimeAsync(800)
    expect(check).toHaveBeenCalledTimes(2)
    expect(errors).toEqual([])
  })

  it('cancel does nothing when nothing runs, and a failed cancel is reported', async () => {
    const errors: unknown[] = []
    const { check, runs } = cancellableCheck()
    const cancelChecks = vi.fn(async () => {
      throw new Error('通道已断开')
    })
    const runner = new ChecksRunner(check, (e) => errors.push(e), 800, cancelChecks)
    await runner.cancel()
    expect(cancelChecks).not.toHaveBeenCalled()
    expect(runner.cancelled).toBe(false)

    const running = runner.run()
    await runner.cancel()
    expect(errors).toHaveLength(1)
    expect(runner.cancelling).toBe(false)
    expect(runner.busy).toBe(true)
    runs[0]!.answer(report(2))
    await running
    expect(runner.report?.summary.total).toBe(2)
    expect(runner.cancelled).toBe(false)
  })

  it('an error that is not a cancel still counts as a failure', async () => {
    const errors: unknown[] = []
    const runner = new ChecksRunner(
      () => Promise.reject({ code: 'database', message: '数据库已损坏' }),
      (e) => errors.push(e),
      800,
      vi.fn(async () => null),
    )
    await runner.run()
    expect(errors).toHaveLength(1)
    expect(runner.cancelled).toBe(false)
  })
})
