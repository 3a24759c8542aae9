export interface PollLoopOptions {
  /** Pause when there was nothing to do, or after a failure (ms). */
  intervalMs: number;
  /** Told of every failed step; the loop pauses and tries again. */
  onError: (error: unknown) => void;
}

/**
 * Runs `step` again and again until stopped: at once while it reports more work, after a pause when
 * it found none or failed. `stop()` lets the step in progress finish and wakes a pause early.
 */
export class PollLoop {
  private running: Promise<void> | null = null;
  private stopping = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly step: () => Promise<boolean>,
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

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
    this.running = null;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let moreWork = false;
      try {
        moreWork = await this.step();
      } catch (error) {
        this.options.onError(error);
      }
      if (!moreWork && !this.stopping) await this.pause();
    }
  }

  private pause(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, this.options.intervalMs);
      this.wake = done;
    });
  }
}
