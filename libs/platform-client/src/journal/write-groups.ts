/** What a group's statement answers for each of its items, in the items' order. */
export type GroupAnswer<Result> = { ok: true; value: Result } | { ok: false; error: Error };

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
    private readonly maxGroup = 100,
  ) {}

  add(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.writing) void this.next();
    });
  }

  private async next(): Promise<void> {
    const group = this.waiting.splice(0, this.maxGroup);
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
}
