import { PollLoop } from './poll-loop';

describe('PollLoop', () => {
  it('keeps stepping while there is more work, reports failures and goes on, and stops after the step in progress', async () => {
    const errors: unknown[] = [];
    let steps = 0;
    let reachedIdle!: () => void;
    const idle = new Promise<void>((resolve) => (reachedIdle = resolve));
    const loop = new PollLoop(
      async () => {
        steps += 1;
        if (steps === 2) throw new Error('database restarting');
        if (steps === 5) reachedIdle();
        return steps < 5;
      },
      { intervalMs: 10, onError: (e) => void errors.push(e) },
    );
    loop.start();
    expect(loop.isRunning).toBe(true);
    await idle;
    await loop.stop();
    expect(loop.isRunning).toBe(false);
    expect(errors).toEqual([new Error('database restarting')]);
    expect(steps).toBeGreaterThanOrEqual(5);
  });

  it('steps when woken instead of waiting out the pause, and again at once when woken during a step', async () => {
    const steps: string[] = [];
    let stepped: (() => void) | null = null;
    const nextStep = () => new Promise<void>((resolve) => (stepped = resolve));
    let wakeDuringStep = false;
    const loop = new PollLoop(
      async () => {
        steps.push(wakeDuringStep ? 'woken during the step' : 'step');
        if (wakeDuringStep) {
          wakeDuringStep = false;
          loop.wake();
        }
        stepped?.();
        return false;
      },
      { intervalMs: 60_000, onError: () => undefined },
    );
    let step = nextStep();
    loop.start();
    await step;
    step = nextStep();
    loop.wake();
    await step;
    wakeDuringStep = true;
    step = nextStep();
    loop.wake();
    await step;
    step = nextStep();
    await step; // the wake-up during that step: the next step comes without a pause
    await loop.stop();
    expect(steps).toEqual(['step', 'step', 'woken during the step', 'step']);
  });

  it('waits the pause a step asked for, and out the whole pause after a failure, wake-ups or not', async () => {
    const stepAt: number[] = [];
    let failNext = false;
    let stepped: (() => void) | null = null;
    const nextStep = () => new Promise<void>((resolve) => (stepped = resolve));
    const loop = new PollLoop(
      async () => {
        stepAt.push(Date.now());
        stepped?.();
        if (failNext) {
          failNext = false;
          throw new Error('broker unreachable');
        }
        return 1; // held back: look again after 1 ms
      },
      { intervalMs: 60_000, onError: () => undefined },
    );
    let step = nextStep();
    loop.start();
    await step;
    step = nextStep();
    await step; // came after the 1 ms pause, with nobody waking the loop
    failNext = true;
    step = nextStep();
    await step; // fails
    let woken = false;
    void nextStep().then(() => (woken = true));
    loop.wake();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(woken).toBe(false);
    await loop.stop();
    expect(stepAt.length).toBe(3);
  });
});
