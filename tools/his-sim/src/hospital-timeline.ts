import { HOUR_MS } from './beijing-time';
import { generateEpisode, type Episode, type SimulatedMessage } from './episode/episode-generator';
import { DEPARTMENTS, type Department } from './reference/departments';
import { mixSeed, SeededRandom } from './random';
import { TimeQueue } from './time-queue';

export interface HospitalOptions {
  readonly seed: number;
  /** Beds in the hospital, shared among departments by their weight: at most this many patients at once. */
  readonly beds: number;
  /** Admissions stop after this many episodes; without it the timeline never ends. */
  readonly episodes?: number;
  /** Simulated instant (epoch ms) the hospital opens its beds. */
  readonly startAt: number;
  /** The cashier confirms each pre-settlement split at the HIS (EpisodeOptions.cashierConfirms). */
  readonly cashierConfirms?: boolean;
}

export interface Bed {
  readonly department: Department;
  readonly bedNo: number;
}

/** One step of the timeline: a message, its episode, and whether it is the visit's last. */
export interface TimelineStep {
  readonly message: SimulatedMessage;
  readonly episode: Episode;
  readonly last: boolean;
}

/** The prefix of a run's ipt_no: 住院 + the seed, so runs with different seeds never share a visit id. */
export function visitPrefixFor(seed: number): string {
  return `ZY${(seed >>> 0).toString(36).toUpperCase()}`;
}

/** Shares `beds` among departments by weight (largest remainder), numbering each department's beds from 1. */
export function allocateBeds(beds: number, departments: readonly Department[] = DEPARTMENTS): Bed[] {
  if (!Number.isInteger(beds) || beds < 1) throw new Error(`beds must be a positive integer, got ${beds}`);
  const totalWeight = departments.reduce((sum, d) => sum + d.bedWeight, 0);
  const shares = departments.map((d, i) => {
    const exact = (beds * d.bedWeight) / totalWeight;
    return { i, count: Math.floor(exact), remainder: exact - Math.floor(exact) };
  });
  let left = beds - shares.reduce((sum, s) => sum + s.count, 0);
  for (const share of [...shares].sort((a, b) => b.remainder - a.remainder || a.i - b.i)) {
    if (left === 0) break;
    share.count += 1;
    left -= 1;
  }
  return shares.flatMap(({ i, count }) =>
    Array.from({ length: count }, (_, n) => ({ department: departments[i]!, bedNo: n + 1 })),
  );
}

type Happening = { kind: 'admit'; bed: Bed } | { kind: 'message'; episode: Episode; position: number };

/**
 * The hospital's HIS messages in simulated-time order across all visits: each bed takes a patient, the
 * next patient arrives some hours after the previous one leaves. Pure and lazy: the same options give
 * the same stream, and only the open visits are held in memory.
 */
export function* hospitalTimeline(options: HospitalOptions): Generator<TimelineStep> {
  const beds = allocateBeds(options.beds);
  const arrivals = new SeededRandom(mixSeed(options.seed, 0x0be0be0b));
  const visitPrefix = visitPrefixFor(options.seed);
  const queue = new TimeQueue<Happening>();
  const wholeSecond = (ms: number) => Math.floor(ms / 1000) * 1000;
  // The ward is not empty when the run starts: first admissions are spread over the first day.
  for (const bed of beds)
    queue.push(wholeSecond(options.startAt + arrivals.next() * 24 * HOUR_MS), { kind: 'admit', bed });
  let admitted = 0;

  for (let next = queue.pop(); next; next = queue.pop()) {
    const happening = next.value;
    if (happening.kind === 'admit') {
      if (options.episodes !== undefined && admitted >= options.episodes) continue;
      const episode = generateEpisode({
        seed: options.seed,
        index: admitted++,
        department: happening.bed.department,
        bedNo: happening.bed.bedNo,
        admittedAt: next.at,
        visitPrefix,
        ...(options.cashierConfirms && { cashierConfirms: true }),
      });
      queue.push(next.at, { kind: 'message', episode, position: 0 });
      const turnover = arrivals.int(2 * 3600, 20 * 3600) * 1000;
      queue.push(episode.leftAt + turnover, { kind: 'admit', bed: happening.bed });
      continue;
    }
    const { episode, position } = happening;
    const message = episode.messages[position]!;
    yield { message, episode, last: position === episode.messages.length - 1 };
    const following = episode.messages[position + 1];
    if (following) {
      queue.push(Date.parse(following.envelope.occurredAt), {
        kind: 'message',
        episode,
        position: position + 1,
      });
    }
  }
}
