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
});
