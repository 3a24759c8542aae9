/** A partition's next offset to commit. */
export interface PartitionOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/**
 * The offsets of batches a service skipped whole (no record of a type it handles: another service's results, its
 * own read back), committed later than they were reached: with the next batch it commits, after `delayMs` with the
 * others waiting, or at once when asked (`commitNow`, for a reader of the group's committed offsets that must not
 * wait). Most of a service's batches are such (admission skipped 91 % of its batches in a settlement run,
 * fee-detail 76 %), each an offset commit of its own before. A skipped record read again after a restart is
 * skipped again, so the delay loses nothing. On a rebalance they are dropped (`drop`): the partitions' next
 * owner reads and skips those records again, and no commit of an old assignment lands after a newer one.
 */
export class SkippedOffsets {
  private readonly waiting = new Map<string, PartitionOffset>();
  private timer: NodeJS.Timeout | undefined;
  /** Moves on each drop: a failed commit puts its offsets back only if no rebalance came since. */
  private assignment = 0;
  /** Each partition's latest offset handed to a commit in this assignment: an earlier one is never put back. */
  private readonly handed = new Map<string, bigint>();

  constructor(
    private readonly commit: (offsets: PartitionOffset[]) => Promise<void>,
    private readonly delayMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** A skipped batch's next offset: committed within `delayMs`, or earlier with another commit. */
  reached(offset: PartitionOffset): void {
    this.waiting.set(keyOf(offset), offset);
    this.timer ??= setTimeout(() => void this.commitNow(), this.delayMs).unref();
  }

  /**
   * Commits a batch's own offset with the offsets waiting, in one request; its partition's waiting offset is left
   * out (the batch's is later). If it fails, the others wait again and the error is the caller's.
   */
  async commitAlong(own: PartitionOffset): Promise<void> {
    this.waiting.delete(keyOf(own));
    const carried = this.take();
    const assignment = this.assignment;
    try {
      await this.send([own, ...carried]);
    } catch (err) {
      this.putBack(carried, assignment);
      throw err;
    }
  }

  /** Commits the offsets waiting now. A failure is reported and they wait again, unless a rebalance came since. */
  async commitNow(): Promise<void> {
    const offsets = this.take();
    if (offsets.length === 0) return;
    const assignment = this.assignment;
    try {
      await this.send(offsets);
    } catch (err) {
      this.onError(err);
      this.putBack(offsets, assignment);
    }
  }

  /** Forgets the offsets waiting: the partitions are being assigned again. */
  drop(): void {
    this.assignment += 1;
    this.handed.clear();
    this.take();
  }

  private send(offsets: PartitionOffset[]): Promise<void> {
    for (const offset of offsets) {
      const next = BigInt(offset.offset);
      if (next > (this.handed.get(keyOf(offset)) ?? -1n)) this.handed.set(keyOf(offset), next);
    }
    return this.commit(offsets);
  }

  /**
   * Offsets a failed commit carried wait again, unless a rebalance came since, or a later offset of their
   * partition waits or went to a commit since (committed after it, the earlier one would move the group back).
   */
  private putBack(offsets: readonly PartitionOffset[], assignment: number): void {
    if (assignment !== this.assignment) return;
    for (const offset of offsets) {
      const key = keyOf(offset);
      if (this.waiting.has(key) || BigInt(offset.offset) < (this.handed.get(key) ?? -1n)) continue;
      this.reached(offset);
    }
  }

  private take(): PartitionOffset[] {
    clearTimeout(this.timer);
    this.timer = undefined;
    const offsets = [...this.waiting.values()];
    this.waiting.clear();
    return offsets;
  }
}

const keyOf = ({ topic, partition }: { topic: string; partition: number }) => `${topic}/${partition}`;
