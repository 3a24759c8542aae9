// Hostile HIS records, generated with fast-check: what a broken or malicious HIS could put on his.inpatient.
// Every record is checked against the contracts before it is kept, so each one must be refused at a service's
// edge and end in a dead-letter topic with a reason; none may reach the platform.
import { CONTRACTS, MessageValidationError, createEnvelope, isKnownType, parseMessage } from '@yb/contracts';
import fc from 'fast-check';

export const HOSTILE_FAMILIES = [
  'broken-json',
  'missing-envelope',
  'unknown-type',
  'unknown-version',
  'wrong-types',
  'injection',
  'huge',
  'oversized',
  'another-visit',
] as const;
export type HostileFamily = (typeof HOSTILE_FAMILIES)[number];

export interface HostileRecord {
  readonly family: HostileFamily;
  readonly key: string;
  readonly value: Buffer;
}

/**
 * Types some service always running (admission, fee-detail) handles, so that a record with a valid envelope
 * and bad data is validated (and dead-lettered) by its owner and not skipped by everyone.
 */
export const OWNED_HIS_TYPES = [
  'PatientAdmitted',
  'AdmissionChanged',
  'AdmissionCancelled',
  'FeeLinesCharged',
  'FeeLinesVoided',
] as const;

/** The broker's default message.max.bytes (1 MiB + 12): a record above it is refused when produced. */
export const BROKER_MAX_MESSAGE_BYTES = 1_048_588;
/** "Near the limit": big enough to strain every reader, small enough to fit with the dead-letter headers. */
const NEAR_LIMIT_BYTES = 900_000;

const INJECTIONS = [
  "'; DROP TABLE events; --",
  "1' OR '1'='1",
  "ZY1'); DELETE FROM inbox WHERE ('1'='1",
  '<script>alert(document.cookie)</script>',
  '<img src=x onerror=alert(1)>',
  '","type":"SettlementRequested","medfee_sumamt":"0.00',
  '{"$where":"sleep(1000)"}',
  '${jndi:ldap://127.0.0.1/a}',
  '../../../../etc/passwd',
  '\u0000\u202e\ud83d\ude00',
  '%00%27%22',
] as const;

/** The hostile ipt_no of a record: outside the HIS's visit ids (ZY…), so reconciliation never mixes them. */
const hostileKey = fc.nat({ max: 999_999 }).map((n) => `HOSTILE-${String(n).padStart(6, '0')}`);

const example = (type: string): Record<string, unknown> => {
  const contract = CONTRACTS.find((c) => c.type === type && c.version === 1);
  if (!contract) throw new Error(`no contract ${type} v1`);
  return structuredClone(contract.example) as Record<string, unknown>;
};

/** The record's envelope, its data filed under the record's key (so that each family is refused for its own fault). */
const envelopeOf = (type: string, schemaVersion: number, key: string, data: unknown) => {
  if (typeof data === 'object' && data !== null && 'ipt_no' in data)
    (data as { ipt_no: unknown }).ipt_no = key;
  return createEnvelope({ type, schemaVersion, key, data });
};

const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');

/** Any JSON value of the wrong kind for a field: numbers for strings, objects for numbers, and so on. */
const wrongValue = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
  fc.constantFrom('', '-1', 'NaN', '1e309', '12.345', '0x1F'),
);

const ownedType = fc.constantFrom(...OWNED_HIS_TYPES);

const families: Record<HostileFamily, fc.Arbitrary<HostileRecord>> = {
  'broken-json': fc
    .tuple(ownedType, hostileKey, fc.nat(), fc.string({ maxLength: 8 }))
    .map(([type, key, cut, tail]) => {
      const text = JSON.stringify(envelopeOf(type, 1, key, example(type)));
      // Cut inside the text (never at its very end) and append garbage: no longer JSON.
      const at = 1 + (cut % (text.length - 2));
      return { family: 'broken-json', key, value: Buffer.from(`${text.slice(0, at)}${tail}\u0000`, 'utf8') };
    }),
  'missing-envelope': fc
    .tuple(
      ownedType,
      hostileKey,
      fc.oneof(fc.constant('bare-data'), fc.constant('scalar'), fc.constant('array')),
    )
    .map(([type, key, shape]) => ({
      family: 'missing-envelope',
      key,
      value: json(shape === 'bare-data' ? example(type) : shape === 'scalar' ? 42 : [example(type)]),
    })),
  'unknown-type': fc
    .tuple(fc.string({ minLength: 1, maxLength: 40 }), hostileKey)
    .filter(([type]) => !isKnownType(type))
    .map(([type, key]) => ({ family: 'unknown-type', key, value: json(envelopeOf(type, 1, key, {})) })),
  'unknown-version': fc
    .tuple(ownedType, fc.integer({ min: 2, max: 1_000_000 }), hostileKey)
    .map(([type, version, key]) => ({
      family: 'unknown-version',
      key,
      value: json(envelopeOf(type, version, key, example(type))),
    })),
  'wrong-types': fc.tuple(ownedType, fc.nat(), wrongValue, hostileKey).map(([type, pick, wrong, key]) => {
    const data = example(type);
    const fields = Object.keys(data);
    data[fields[pick % fields.length]!] = wrong;
    return { family: 'wrong-types', key, value: json(envelopeOf(type, 1, key, data)) };
  }),
  injection: fc
    .tuple(ownedType, fc.constantFrom(...INJECTIONS), fc.nat(), fc.boolean(), hostileKey)
    .map(([type, injection, pick, inKey, key]) => {
      const data = example(type);
      const fields = Object.keys(data);
      data[fields[pick % fields.length]!] = injection.repeat(1 + (pick % 40));
      const recordKey = inKey ? injection : key;
      return { family: 'injection', key: recordKey, value: json(envelopeOf(type, 1, recordKey, data)) };
    }),
  huge: fc.tuple(ownedType, fc.nat(), hostileKey).map(([type, pick, key]) => {
    const data = example(type);
    const fields = Object.keys(data);
    const envelope = envelopeOf(type, 1, key, data);
    const room = NEAR_LIMIT_BYTES - JSON.stringify(envelope).length;
    data[fields[pick % fields.length]!] = '医'.repeat(Math.floor(room / 3));
    return { family: 'huge', key, value: json(envelope) };
  }),
  oversized: fc.tuple(ownedType, hostileKey).map(([type, key]) => {
    const data = example(type);
    data['memo'] = 'x'.repeat(BROKER_MAX_MESSAGE_BYTES + 1024);
    return { family: 'oversized', key, value: json(envelopeOf(type, 1, key, data)) };
  }),
  // A well-formed message whose data names another visit than the key it is filed under.
  'another-visit': fc.tuple(ownedType, hostileKey, hostileKey).map(([type, key, other]) => {
    const envelope = envelopeOf(type, 1, key, example(type));
    const data = { ...(envelope.data as Record<string, unknown>), ipt_no: other };
    return { family: 'another-visit', key, value: json({ ...envelope, data }) };
  }),
};

/**
 * Why the services' edge refuses the record (JSON, envelope, known type and version, key = envelope.key,
 * data, data.ipt_no = key), or undefined when it would be accepted: the same checks as libs/messaging's decodeRecord.
 */
export function edgeRefusal(record: Pick<HostileRecord, 'key' | 'value'>): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(record.value.toString('utf8'));
  } catch (err) {
    return `payload is not JSON: ${(err as Error).message}`;
  }
  try {
    const message = parseMessage(parsed);
    if (message.key !== record.key) return 'record key differs from envelope.key';
    const { ipt_no } = message.data as { ipt_no?: unknown };
    return ipt_no === undefined || ipt_no === message.key ? undefined : 'data.ipt_no differs from the key';
  } catch (err) {
    if (err instanceof MessageValidationError) return err.message;
    throw err;
  }
}

/** A hostile record of any family; only records the edge refuses are generated. */
export const hostileRecord = (
  only: readonly HostileFamily[] = HOSTILE_FAMILIES,
): fc.Arbitrary<HostileRecord> =>
  fc.oneof(...only.map((f) => families[f])).filter((r) => edgeRefusal(r) !== undefined);

/** `count` hostile records covering every family in turn (round robin), reproducible from the seed. */
export function hostileRecords(
  count: number,
  seed: number,
  only: readonly HostileFamily[] = HOSTILE_FAMILIES,
): HostileRecord[] {
  return Array.from(
    { length: count },
    (_, i) => fc.sample(hostileRecord([only[i % only.length]!]), { seed: seed + i, numRuns: 1 })[0]!,
  );
}
