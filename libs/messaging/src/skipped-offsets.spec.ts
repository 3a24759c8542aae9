import { type PartitionOffset, SkippedOffsets } from './skipped-offsets';

const at = (partition: number, offset: number): PartitionOffset => ({
  topic: 'insurance.inpatient',
  partition,
  offset: String(offset),
});

/** SkippedOffsets over a commit that records what it was given, failing while `failing` is set. */
function skippedOffsets(delayMs = 100) {
  const commits: PartitionOffset[][] = [];
  const errors: unknown[] = [];
  const control = { failing: false };
  const offsets = new SkippedOffsets(
    async (batch) => {
      if (control.failing) throw new Error('REBALANCE_IN_PROGRESS');
      commits.push(batch);
    },
    delayMs,
    (err) => errors.push(err),
  );
  return { offsets, commits, errors, control };
}

describe('SkippedOffsets', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it("commits the skipped batches' offsets once, together, after the delay: the latest of each partition", async () => {
    const { offsets, commits } = skippedOffsets();
    offsets.reached(at(0, 5));
    offsets.reached(at(0, 9));
    offsets.reached(at(1, 3));
    expect(commits).toEqual([]);
    await jest.advanceTimersByTimeAsync(100);
    expect(commits).toEqual([[at(0, 9), at(1, 3)]]);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(commits).toHaveLength(1);
  });

  it("goes with a handled batch's commit, without that batch's own partition, and is not committed again", async () => {
    const { offsets, commits } = skippedOffsets();
    offsets.reached(at(0, 5));
    offsets.reached(at(1, 3));
    await offsets.commitAlong(at(0, 9));
    expect(commits).toEqual([[at(0, 9), at(1, 3)]]);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(commits).toHaveLength(1);
  });

  it("keeps what a handled batch's failed commit carried (its own offset is the caller's to redo)", async () => {
    const { offsets, commits, control } = skippedOffsets();
    offsets.reached(at(1, 3));
    control.failing = true;
    await expect(offsets.commitAlong(at(0, 9))).rejects.toThrow('REBALANCE_IN_PROGRESS');
    control.failing = false;
    await jest.advanceTimersByTimeAsync(100);
    expect(commits).toEqual([[at(1, 3)]]);
  });

  it('commits at once when asked, and not again after the delay', async () => {
    const { offsets, commits } = skippedOffsets();
    offsets.reached(at(2, 40));
    await offsets.commitNow();
    expect(commits).toEqual([[at(2, 40)]]);
    await offsets.commitNow();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(commits).toHaveLength(1);
  });

  it('keeps what a failed commit carried, and commits it after the next delay; a newer offset of a partition wins', async () => {
    const { offsets, commits, errors, control } = skippedOffsets();
    offsets.reached(at(0, 5));
    offsets.reached(at(1, 3));
    control.failing = true;
    await offsets.commitNow();
    expect(errors).toHaveLength(1);
    offsets.reached(at(1, 8));
    control.failing = false;
    await jest.advanceTimersByTimeAsync(100);
    expect(commits).toEqual([[at(0, 5), at(1, 8)]]);
  });

  it('forgets what waits on a rebalance', async () => {
    const { offsets, commits } = skippedOffsets();
    offsets.reached(at(0, 5));
    offsets.drop();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(commits).toEqual([]);
  });

  it('does not keep what a commit failing across a rebalance carried', async () => {
    const failures: ((err: Error) => void)[] = [];
    const offsets = new SkippedOffsets(
      () => new Promise<void>((_resolve, reject) => failures.push(reject)),
      100,
      () => undefined,
    );
    offsets.reached(at(1, 3));
    const committing = offsets.commitNow();
    offsets.drop();
    failures[0]!(new Error('ILLEGAL_GENERATION'));
    await committing;
    await jest.advanceTimersByTimeAsync(1_000);
    expect(failures).toHaveLength(1);
  });

  it("does not put back an offset a later commit of its partition has passed: the group's offset never moves back", async () => {
    const commits: PartitionOffset[][] = [];
    const failures: ((err: Error) => void)[] = [];
    let failNext = true;
    const offsets = new SkippedOffsets(
      (batch) =>
        failNext
          ? new Promise<void>((_resolve, reject) => failures.push(reject))
          : Promise.resolve(void commits.push(batch)),
      100,
      () => undefined,
    );
    offsets.reached(at(0, 5));
    offsets.reached(at(1, 3));
    const committing = offsets.commitNow();
    failNext = false;
    await offsets.commitAlong(at(0, 9));
    failures[0]!(new Error('REQUEST_TIMED_OUT'));
    await committing;
    await jest.advanceTimersByTimeAsync(100);
    expect(commits).toEqual([[at(0, 9)], [at(1, 3)]]);
  });
});
