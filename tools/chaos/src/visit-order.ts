// Per-visit order, judged from what the services published: a visit's results on insurance.inpatient (one key,
// so one partition, read in order) must follow the order of the HIS events that caused them. Admission's answers
// are the ones with a cause each (one platform request per HIS message, in message order), so a visit whose
// messages were handled out of order — two replicas at once, a rebalance replaying a visit behind a later
// message — shows as a later answer caused by an earlier HIS event. Pure, like the reconciliation.
import { type HisEvent, type ResultMessage } from './reconcile';

/** Results that answer exactly the HIS message that caused them, in its order. */
const ANSWERS_IN_ORDER: ReadonlySet<string> = new Set([
  'AdmissionRegistered',
  'AdmissionChangeRegistered',
  'AdmissionCancellationRegistered',
  'AdmissionRequestRefused',
]);

export interface VisitOrder {
  /** Visits whose answers were looked at. */
  readonly visitsChecked: number;
  /** Answers looked at (a republished one counted once). */
  readonly answers: number;
  /** One line per answer that came after an answer to a later HIS event of its visit. */
  readonly violations: readonly string[];
}

export function visitOrder(published: readonly HisEvent[], results: readonly ResultMessage[]): VisitOrder {
  const byId = new Map(published.map((event) => [event.id, event]));
  const lastByVisit = new Map<string, { event: HisEvent; result: string }>();
  const seen = new Set<string>();
  const violations: string[] = [];
  let answers = 0;
  for (const result of results) {
    if (!ANSWERS_IN_ORDER.has(result.type) || seen.has(result.id)) continue;
    seen.add(result.id);
    const cause = result.causationId === null ? undefined : byId.get(result.causationId);
    if (!cause || cause.ipt_no !== result.key) continue;
    answers += 1;
    const last = lastByVisit.get(result.key);
    if (
      last &&
      BigInt(cause.offset) < BigInt(last.event.offset) &&
      cause.partition === last.event.partition
    ) {
      violations.push(
        `${result.key}: ${result.type} for ${cause.type} at offset ${cause.offset} came after ` +
          `${last.result} for ${last.event.type} at offset ${last.event.offset}`,
      );
    }
    if (!last || BigInt(cause.offset) >= BigInt(last.event.offset))
      lastByVisit.set(result.key, { event: cause, result: result.type });
  }
  return { visitsChecked: lastByVisit.size, answers, violations };
}
