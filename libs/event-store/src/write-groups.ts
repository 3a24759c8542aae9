/** What a group's statement answers for each of its items, in the items' order. */
export type GroupAnswer<Result> = { ok: true; value: Result } | { ok: false; error: Error };

export interface WriteGroupsOptions<Item> {
  /** The most items in one statement (default 100). */
  maxGroup?: number;
  /**
   * Items of one key never share a statement: one whose key the group holds already waits for the next, in
   * order (two appends to one stream, say, each checked against the version before both).
   */
  keyOf?: (item: Item) => string;
}

/**
 * Group commit: writes asked for while the previous group's statement is in flight wait for it and then go
 * together, as one statement (one round trip, one commit) of at most `maxGroup` items. An idle caller's write
 * goes at once, alone, so grouping never delays the first write. Each caller's promise settles with its own
 * item's answer once the statement that carried it has committed; a failed statement fails every item in it
 * (nothing of it was written), and the next group goes regardless.
 */
export class WriteGroups<Item, Result> {
  private waiting: { item: Item; resolve: (value: Result) => void; reject: (error: Error) => void }[] = [];
  private writing = false;

  constructor(
    private readonly write: (items: readonly Item[]) => Promise<readonly GroupAnswer<Result>[]>,
    private readonly options: WriteGroupsOptions<Item> = {},
  ) {}

  add(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.writing) void this.next();
    });
  }

  private async next(): Promise<void> {
    const group = this.nextGroup();
    if (group.length === 0) return;
    this.writing = true;
    try {
      const answers = await this.write(group.map((waiter) => waiter.item));
      group.forEach((waiter, i) => {
        const answer = answers[i];
        if (answer.ok) waiter.resolve(answer.value);
        else waiter.reject(answer.error);
      });
    } catch (err) {
      for (const waiter of group) waiter.reject(err as Error);
    } finally {
      this.writing = false;
    }
    void this.next();
  }

  /** The waiting items that go next, in order: up to maxGroup, one per key. */
  private nextGroup(): typeof this.waiting {
    const { maxGroup = 100, keyOf } = this.options;
    if (!keyOf) return this.waiting.splice(0, maxGroup);
    const keys = new Set<string>();
    const group: typeof this.waiting = [];
    const left: typeof this.waiting = [];
    for (const waiter of this.waiting) {
      const key = keyOf(waiter.item);
      if (group.length < maxGroup && !keys.has(key)) {
        keys.add(key);
        group.push(waiter);
      } else left.push(waiter);
    }
    this.waiting = left;
    return group;
  }
}
