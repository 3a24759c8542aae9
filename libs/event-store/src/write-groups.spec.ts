import { WriteGroups, type GroupAnswer } from './write-groups';

/** A statement writer whose statements the test answers one at a time. */
function heldWriter() {
  const statements: { items: readonly number[]; answer: (answers: GroupAnswer<string>[] | Error) => void }[] =
    [];
  const write = (items: readonly number[]) =>
    new Promise<GroupAnswer<string>[]>((resolve, reject) => {
      statements.push({
        items,
        answer: (answers) => (answers instanceof Error ? reject(answers) : resolve(answers)),
      });
    });
  const ok = (items: readonly number[]) => items.map((n) => ({ ok: true as const, value: `row ${n}` }));
  return { statements, write, ok };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('WriteGroups (group commit)', () => {
  it("sends an idle caller's write at once, alone, and gathers those asked for meanwhile into the next statement", async () => {
    const writer = heldWriter();
    const groups = new WriteGroups(writer.write);
    const first = groups.add(1);
    expect(writer.statements.map((s) => s.items)).toEqual([[1]]);
    const later = [groups.add(2), groups.add(3), groups.add(4)];
    await settled();
    expect(writer.statements).toHaveLength(1); // they wait for the statement in flight

    writer.statements[0].answer(writer.ok([1]));
    await expect(first).resolves.toBe('row 1');
    await settled();
    expect(writer.statements.map((s) => s.items)).toEqual([[1], [2, 3, 4]]);
    writer.statements[1].answer(writer.ok([2, 3, 4]));
    await expect(Promise.all(later)).resolves.toEqual(['row 2', 'row 3', 'row 4']);
  });

  it('gives each caller its own answer: one refused item fails only its caller', async () => {
    const writer = heldWriter();
    const groups = new WriteGroups(writer.write);
    const blocking = groups.add(0);
    const group = [groups.add(1), groups.add(2)];
    writer.statements[0].answer(writer.ok([0]));
    await blocking;
    await settled();
    writer.statements[1].answer([
      { ok: false, error: new Error('row 1 moved elsewhere') },
      { ok: true, value: 'row 2' },
    ]);
    await expect(group[0]).rejects.toThrow('row 1 moved elsewhere');
    await expect(group[1]).resolves.toBe('row 2');
  });

  it('fails every write of a failed statement, and the next group still goes', async () => {
    const writer = heldWriter();
    const groups = new WriteGroups(writer.write);
    const failed = [groups.add(1)];
    const next = groups.add(2);
    writer.statements[0].answer(new Error('connection reset'));
    await expect(failed[0]).rejects.toThrow('connection reset');
    await settled();
    expect(writer.statements.map((s) => s.items)).toEqual([[1], [2]]);
    writer.statements[1].answer(writer.ok([2]));
    await expect(next).resolves.toBe('row 2');
  });

  it('cuts a long queue into statements of at most maxGroup items, in order', async () => {
    const writer = heldWriter();
    const groups = new WriteGroups(writer.write, { maxGroup: 2 });
    const all = [1, 2, 3, 4, 5].map((n) => groups.add(n));
    for (let i = 0; i < 3; i++) {
      await settled();
      const statement = writer.statements[i];
      statement.answer(writer.ok(statement.items));
    }
    await expect(Promise.all(all)).resolves.toEqual(['row 1', 'row 2', 'row 3', 'row 4', 'row 5']);
    expect(writer.statements.map((s) => s.items)).toEqual([[1], [2, 3], [4, 5]]);
  });

  it('keeps two items of one key out of one statement: the later waits for the next, in order', async () => {
    const writer = heldWriter();
    const groups = new WriteGroups(writer.write, { keyOf: (n: number) => String(n % 3) });
    const all = [1, 2, 4, 3, 7, 5].map((n) => groups.add(n));
    for (let i = 0; i < 3; i++) {
      await settled();
      const statement = writer.statements[i];
      statement.answer(writer.ok(statement.items));
    }
    await expect(Promise.all(all)).resolves.toEqual(['row 1', 'row 2', 'row 4', 'row 3', 'row 7', 'row 5']);
    // Keys 1, 2, 1, 0, 1, 2: 7 waits for the statement after 4's, 5 for the one after 2's.
    expect(writer.statements.map((s) => s.items)).toEqual([[1], [2, 4, 3], [7, 5]]);
  });
});
