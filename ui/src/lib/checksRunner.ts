// Checks for the whole session: the report the checks panel and the tree's badges show, and
// re-running after edits. Once checks have run, every successful edit batch asks for a re-run;
// the run starts after a quiet spell (so typing through a column checks once), and when runs
// overlap only the latest one's report is kept — an older answer arriving late is dropped.

import type { Report } from '../api'

export type RunChecks = () => Promise<Report>

export const RERUN_DELAY_MS = 800

export class ChecksRunner {
  report: Report | null = null
  /** A run is under way or waiting for the quiet spell after an edit. */
  busy = false
  /** Checks were asked for in this session (edits re-run them only then). */
  started = false
  private latest = 0
  private timer: ReturnType<typeof setTimeout> | null = null

  constructor(
    private readonly check: RunChecks,
    private readonly onError: (reason: unknown) => void,
    private readonly delayMs = RERUN_DELAY_MS,
  ) {}

  /** Run now; resolves when this run's answer is in (or was overtaken by a newer run). */
  async run(): Promise<void> {
    this.cancelTimer()
    this.started = true
    const mine = ++this.latest
    this.busy = true
    try {
      const report = await this.check()
      if (mine === this.latest) this.report = report
    } catch (reason) {
      if (mine === this.latest) this.onError(reason)
    } finally {
      if (mine === this.latest) this.busy = false
    }
  }

  /** An edit batch succeeded: re-run after the quiet spell, if checks ran this session. */
  afterEdit(): void {
    if (!this.started) return
    this.cancelTimer()
    // Whatever is in flight now describes data from before this edit.
    this.latest += 1
    this.busy = true
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
    this.busy = false
    this.started = false
  }

  private cancelTimer() {
    if (this.timer !== null) {
      clearTimeout(this.timer)
      this.timer = null
    }
  }
}
