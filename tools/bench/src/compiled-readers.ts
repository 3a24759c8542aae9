// What reading a message costs through the compiled readers beside zod's own parse, in the same process:
//   npm run bench:compiled-readers [-- --rounds 30 --iterations 400]
// A 2301 answer of 50 lines as the platform writes it, in two spellings (readOutput: empty fields removed, nodes
// reshaped, then read), and a HIS FeeLinesCharged message of 8 lines (parseMessage: envelope, then data on the
// tolerant topic). Each figure is CPU µs per message, of the best round and the median one; the readers must
// stay well below zod's parse (compiled-reader.ts's profile claim rests on it).
import { parseArgs } from 'node:util';
import {
  FeeLinesChargedV1,
  acceptedSchemaOf,
  createEnvelope,
  envelopeSchema,
  parseMessage,
} from '@yb/contracts';
import { INTERFACE_SCHEMAS, readOutput } from '@yb/platform-client';
import { INTERFACE_EXAMPLES } from '@yb/platform-client/testing';

const { values: args } = parseArgs({
  options: { rounds: { type: 'string', default: '30' }, iterations: { type: 'string', default: '400' } },
});
const rounds = Number(args.rounds);
const iterations = Number(args.iterations);

/**
 * CPU µs per call of `once` in each round (after one to warm up): CPU time, not wall time, so that the other
 * processes sharing the machine's cores count as little as they can.
 */
function microsPerCallByRound(once: () => unknown): number[] {
  const perRound: number[] = [];
  for (let round = -1; round < rounds; round++) {
    const started = process.cpuUsage();
    for (let i = 0; i < iterations; i++) once();
    const { user, system } = process.cpuUsage(started);
    if (round >= 0) perRound.push((user + system) / iterations);
  }
  return perRound.sort((a, b) => a - b);
}

/** "best / median µs": the best round is the one other processes on the machine disturbed least. */
function formatMicros(perRound: readonly number[]): string {
  const [best, median] = [perRound[0], perRound[Math.floor(perRound.length / 2)]];
  return `${best.toFixed(1).padStart(7)} / ${median.toFixed(1).padStart(7)} µs`;
}

/** Fails the run when a path does not read the message, so the figures are never those of a refusal. */
function readable(what: string, succeeded: boolean): void {
  if (!succeeded) throw new Error(`${what} did not read the benchmark's message`);
}

// 2301 answers of 50 lines as they come off the wire: amounts as JSON numbers (already in the form zod gives
// back), and as strings with two decimals ("86.40", which zod respells "86.4").
const [answerLine] = (INTERFACE_EXAMPLES['2301'].output as { result: Record<string, unknown>[] }).result;
const { memo: _memo, ...lineWithoutEmptyMemo } = answerLine;
const answerOf50 = (line: Record<string, unknown>): unknown =>
  JSON.parse(
    JSON.stringify({
      result: Array.from({ length: 50 }, (_, i) => ({
        ...line,
        feedetl_sn: `FY${String(i).padStart(12, '0')}`,
      })),
    }),
  );
const answer = answerOf50(lineWithoutEmptyMemo);
const answerWithTwoDecimals = answerOf50(
  Object.fromEntries(
    Object.entries(lineWithoutEmptyMemo).map(([field, value]) => [
      field,
      typeof value === 'number' ? value.toFixed(2) : value,
    ]),
  ),
);
const answerSchema = INTERFACE_SCHEMAS['2301'].output;
for (const written of [answer, answerWithTwoDecimals]) {
  readable('readOutput', readOutput('2301', written).readable);
  readable('zod', answerSchema.safeParse(written).success);
}

// A FeeLinesCharged of 8 lines as the HIS publishes it, parsed from its JSON as a consumer does.
const [feeLine] = FeeLinesChargedV1.example.lines;
const charged = JSON.parse(
  JSON.stringify(
    createEnvelope({
      type: 'FeeLinesCharged',
      schemaVersion: FeeLinesChargedV1.version,
      key: 'ZY20240501001',
      data: {
        ipt_no: 'ZY20240501001',
        lines: Array.from({ length: 8 }, (_, i) => ({ ...feeLine, feedetl_sn: `FY${i}` })),
      },
    }),
  ),
) as { data: unknown };
const chargedSchema = acceptedSchemaOf(FeeLinesChargedV1);
const zodReadsCharged = () =>
  envelopeSchema.safeParse(charged).success && chargedSchema.safeParse(charged.data).success;
readable('parseMessage', parseMessage(charged).type === 'FeeLinesCharged');
readable('zod', zodReadsCharged());

const figures = [
  [
    '2301 answer, 50 lines',
    readOutput.name,
    () => readOutput('2301', answer),
    () => answerSchema.safeParse(answer),
  ],
  [
    '2301, 50 lines, "86.40"',
    readOutput.name,
    () => readOutput('2301', answerWithTwoDecimals),
    () => answerSchema.safeParse(answerWithTwoDecimals),
  ],
  ['FeeLinesCharged, 8 lines', parseMessage.name, () => parseMessage(charged), zodReadsCharged],
] as const;
console.log(
  `compiled readers beside zod, CPU µs per message (best / median of ${rounds} rounds × ${iterations} calls)`,
);
for (const [message, readerName, reader, zod] of figures) {
  const [ours, zods] = [microsPerCallByRound(reader), microsPerCallByRound(zod)];
  console.log(
    `${message.padEnd(26)} ${readerName.padEnd(12)} ${formatMicros(ours)}   zod ${formatMicros(zods)}   ` +
      `zod/reader (best) ${(zods[0] / ours[0]).toFixed(1)}×`,
  );
}
