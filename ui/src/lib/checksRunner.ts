// Checks for the whole session: the report the checks panel and the tree's badges show, and
// re-running after edits. Once checks have run, every successful edit batch asks for a re-run;
// the run starts after a quiet spell (so typing through a column checks once), and when runs
// overlap only the latest one's report is kept — an older answer arriving late is dropped.
// A run reports its steps (reading the data, then each rule) and the user can stop it with
// 取消: the findings shown before stay, and the next edit re-runs the checks as usual.

import { api, toQuanzeError, type Report, type WorkProgress } from '../api'
import { wasCancelled } from './progress'

export type RunChecks = (onProgress: (progress: WorkProgress) => void) => Promise<Report>
export type CancelChecks = () => Promise<unknown>

export const RERUN_DELAY_MS = 800

export class ChecksRunner {
  report: Report | null = null
  /** A run is under way or waiting for the quiet spell after an edit. */
  busy = false
  /** Checks were asked for in this session (edits re-run them only then). */
  started = false
  /** The last step the run under way reported; null before its first step and between runs. */
  progress: WorkProgress | null = null
  /** 取消 was pressed and the run under way has not answered yet. */
  cancelling = false
  /** The last run was stopped by 取消 (the report, if any, is from an earlier run). */
  cancelled = false
  private latest = 0
  private timer: ReturnType<typeof setTimeout> | null = null

  constructor(
    private readonly check: RunChecks,
    private readonly onError: (reason: unknown) => void,
    private readonly delayMs = RERUN_DELAY_MS,
    private readonly cancelChecks: CancelChecks = () => api.cancelChecks(),
  ) {}

  /** Run now; resolves when this run's answer is in (or was overtaken by a newer run). */
  async run(): Promise<void> {
    this.cancelTimer()
    this.started = true
    const mine = ++this.latest
    this.busy = true
    this.progress = null
    this.cancelling = false
    this.cancelled = false
    try {
      const report = await this.check((progress) => {
        if (mine === this.latest) this.progress = progress
      })
      if (mine === this.latest) this.report = report
    } catch (reason) {
      if (mine !== this.latest) return
      // A run the user (or a newer run) stopped is no failure.
      if (wasCancelled(toQuanzeError(reason))) this.cancelled = true
      else this.onError(reason)
    } finally {
      if (mine === this.latest) this.settle()
    }
  }

  /** 取消: stop the run under way, or the re-run still waiting for the quiet spell. The findings
   * shown stay; the next edit re-runs the checks as usual. */
  async cancel(): Promise<void> {
    if (!this.busy) return
    if (this.timer !== null) {
      // Waiting after an edit: no answer is wanted any more, so the runner is idle at once
      // (a run still in the shell from before the edit is stale and is stopped below too).
      this.cancelTimer()
      this.latest += 1
      this.settle()
      this.cancelled = true
    } else {
      // The run answers `cancelled` at its next rule; `run` then marks it.
      this.cancelling = true
    }
    const mine = this.latest
    try {
      await this.cancelChecks()
    } catch (reason) {
      if (mine === this.latest) this.cancelling = false
      this.onError(reason)
    }
  }

  /** An edit batch succeeded: re-run after the quiet spell, if checks ran this session. */
  afterEdit(): void {
    if (!this.started) return
    this.cancelTimer()
    // Whatever is in flight now describes data from before this edit.
    this.latest += 1
    this.busy = true
    this.progress = null
    this.cancelling = false
    this.timer = setTimeout(() => {
      this.timer = null
      void this.run()
    }, this.delayMs)
  }

  /** Replace the report in place (a finding accepted without a new run). */
  replaceReport(report: Report): void {
    this.report = report
  }

  /** Forget everything (another database was opened). */
  reset(): void {
    this.cancelTimer()
    this.latest += 1
    this.report = null
    this.settle()
    this.cancelled = false
    this.started = false
  }

  private settle() {
    this.busy = false
    this.progress = null
    this.cancelling = false
  }

  private cancelTimer() {
    if (this.timer !== null) {
      clearTimeout(this.timer)
      this.timer = null
    }
  }
}
