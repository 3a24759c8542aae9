/**
 * Timers of answers the timeout faults are holding back. Closing the simulator cancels them, so a test run
 * never leaves a timer (or a socket) behind.
 */
export class HeldAnswers {
  private readonly timers = new Set<NodeJS.Timeout>();

  hold(ms: number, then: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      then();
    }, ms);
    this.timers.add(timer);
  }

  releaseAll(): void {
    this.timers.forEach(clearTimeout);
    this.timers.clear();
  }
}
