export interface PollLoopOptions {
  /** Pause when there was nothing to do, or after a failure (ms). */
  intervalMs: number;
  /** Told of every failed step; the loop pauses and tries again. */
  onError: (error: unknown) => void;
}

/**
 * What a step found: `true` more work (step again at once), `false` nothing to do (pause intervalMs), or
 * a number of ms to pause instead (work that cannot be done yet but soon will).
 */
export type PollStepResult = boolean | number;

/**
 * Runs `step` again and again until stopped: at once while it reports more work, after a pause when
 * it found none or failed. `wake()` ends a pause early, or, called during a step, skips the next pause
 * (what woke it may have arrived after the step read); the pause after a failure is waited out (a
 * broker that is down is not retried on every wake-up). `stop()` lets the step in progress finish.
 */
export class PollLoop {
  private running: Promise<void> | null = null;
  private stopping = false;
  private wokenDuringStep = false;
  private endPause: (() => void) | null = null;
  private pauseIsWakeable = false;

  constructor(
    private readonly step: () => Promise<PollStepResult>,
    private readonly options: PollLoopOptions,
  ) {}

  get isRunning(): boolean {
    return this.running !== null;
  }

  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.running = this.loop();
  }

  /** New work may be there: step now rather than after the pause. */
  wake(): void {
    if (!this.endPause) this.wokenDuringStep = true;
    else if (this.pauseIsWakeable) this.endPause();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.endPause?.();
    await this.running;
    this.running = null;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      this.wokenDuringStep = false;
      let result: PollStepResult;
      try {
        result = await this.step();
      } catch (error) {
        this.options.onError(error);
        if (!this.stopping) await this.pause(this.options.intervalMs, false);
        continue;
      }
      if (result === true || this.wokenDuringStep || this.stopping) continue;
      await this.pause(result === false ? this.options.intervalMs : result, true);
    }
  }

  private pause(ms: number, wakeable: boolean): Promise<void> {
    this.pauseIsWakeable = wakeable;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.endPause = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.endPause = done;
    });
  }
}
