import { type z } from 'zod';
import { readWith } from './compiled-reader';
import { isNotGiven, tolerantOf, type Contract } from './contract';
import { envelopeSchema, type Envelope } from './envelope';
import { ADMISSION_CONTRACTS, AdmissionRequestRefusedV1 } from './commands-admission';
import { CATALOGUE_CONTRACTS } from './commands-catalogue';
import { CLEARING_CONTRACTS } from './clearing';
import { FEE_DETAIL_CONTRACTS } from './commands-fee-detail';
import { HIS_CATALOGUE_CONTRACTS } from './his-catalogue';
import { HIS_CLINICAL_CONTRACTS, MedicalRecordHomepageRecordedV1 } from './his-clinical';
import {
  AdmissionChangedV1,
  HIS_INPATIENT_CONTRACTS,
  PatientAdmittedV1,
  SettlementRequestedV1,
} from './his-inpatient';
import { INSURANCE_CATALOGUE_CONTRACTS } from './insurance-catalogue';
import { AdmissionRegisteredV1, INSURANCE_INPATIENT_CONTRACTS } from './insurance-inpatient';
import { PLATFORM_CALL_CONTRACTS } from './platform-calls';
import { QUALITY_CONTRACTS } from './commands-quality';
import { REPORTING_CONTRACTS } from './commands-reporting';
import { RECONCILIATION_CONTRACTS } from './reconciliation';
import { SETTLEMENT_CONTRACTS } from './commands-settlement';
import { Topics } from './topics';

/** The newest version of every message type: what is published, and what every consumer receives. */
const CURRENT_CONTRACTS = [
  ...HIS_INPATIENT_CONTRACTS,
  ...HIS_CLINICAL_CONTRACTS,
  ...INSURANCE_INPATIENT_CONTRACTS,
  ...FEE_DETAIL_CONTRACTS,
  ...ADMISSION_CONTRACTS,
  ...SETTLEMENT_CONTRACTS,
  ...QUALITY_CONTRACTS,
  ...REPORTING_CONTRACTS,
  ...RECONCILIATION_CONTRACTS,
  ...CLEARING_CONTRACTS,
  ...CATALOGUE_CONTRACTS,
  ...HIS_CATALOGUE_CONTRACTS,
  ...INSURANCE_CATALOGUE_CONTRACTS,
  ...PLATFORM_CALL_CONTRACTS,
] as const;

/**
 * Older versions still accepted on the wire (a record written before an upgrade, a HIS not yet upgraded):
 * validated against their own schema, then lifted to the newest version by the newer contracts' upcasters.
 */
const SUPERSEDED_CONTRACTS = [
  AdmissionRegisteredV1,
  SettlementRequestedV1,
  PatientAdmittedV1,
  AdmissionChangedV1,
  MedicalRecordHomepageRecordedV1,
  AdmissionRequestRefusedV1,
] as const;

/** Every message contract, all versions. */
export const CONTRACTS = [...CURRENT_CONTRACTS, ...SUPERSEDED_CONTRACTS] as const;

type AnyContract = (typeof CURRENT_CONTRACTS)[number];
export type MessageType = AnyContract['type'];
/** The data of a message type in its newest version (consumers receive older versions upcast to it). */
export type DataOf<T extends MessageType> = z.output<Extract<AnyContract, { type: T }>['data']>;
/** An envelope whose data has been validated against its contract. */
export type MessageOf<T extends MessageType> = Envelope<DataOf<T>> & { type: T };

/** A message that does not satisfy its contract; `message` names every failing field. */
export class MessageValidationError extends Error {
  override readonly name = 'MessageValidationError';
  constructor(
    message: string,
    readonly issues: readonly string[] = [message],
  ) {
    super(message);
  }
}

const byTypeAndVersion = new Map<string, Map<number, Contract>>();
for (const contract of CONTRACTS as readonly Contract[]) {
  const versions = byTypeAndVersion.get(contract.type) ?? new Map<number, Contract>();
  if (versions.has(contract.version))
    throw new Error(`contract ${contract.type} v${contract.version} defined twice`);
  versions.set(contract.version, contract);
  byTypeAndVersion.set(contract.type, versions);
}

for (const [type, versions] of byTypeAndVersion) {
  for (const version of versions.keys()) {
    if (version > 1 && !versions.get(version)!.upcast)
      throw new Error(`contract ${type} v${version} has no upcaster from v${version - 1}`);
    if (version > 1 && !versions.has(version - 1))
      throw new Error(`contract ${type} v${version} has no v${version - 1} to upcast from`);
  }
}

export function isKnownType(type: string): type is MessageType {
  return byTypeAndVersion.has(type);
}

/** The contract of (type, version); throws MessageValidationError for an unknown type or version. */
export function contractFor(type: string, version: number): Contract {
  const versions = byTypeAndVersion.get(type);
  if (!versions) throw new MessageValidationError(`unknown message type "${type}"`);
  const contract = versions.get(version);
  if (!contract) {
    const known = [...versions.keys()].join(', ');
    throw new MessageValidationError(
      `unknown schemaVersion ${version} of message type "${type}" (known: ${known})`,
    );
  }
  return contract;
}

function describeIssues(error: z.ZodError, prefix: string): string[] {
  const described = error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))].join('');
    return { path: path.replace(/^\./, ''), issue };
  });
  // A required field the HIS gave as "" or null is reported once, as such, not also as absent.
  const notGiven = new Set(described.filter(({ issue }) => isNotGiven(issue)).map(({ path }) => path));
  return described
    .filter(({ path, issue }) => !notGiven.has(path) || isNotGiven(issue))
    .map(({ path, issue }) => `${path}: ${issue.message}`);
}

/**
 * Topics the HIS writes. Their messages are read tolerantly and normalised (see tolerantOf): a real HIS sends
 * "" for "not given" and numbers as strings. What our services write is read as strictly as it is written.
 */
export const HIS_TOPICS: ReadonlySet<string> = new Set([
  Topics.hisInpatient,
  Topics.hisClinical,
  Topics.hisCatalogue,
]);

const tolerantSchemas = new Map<Contract, z.ZodTypeAny>();

/** The schema a message of `contract` is read with: tolerant on the topics the HIS writes. */
export function acceptedSchemaOf(contract: Contract): z.ZodTypeAny {
  if (!HIS_TOPICS.has(contract.topic)) return contract.data;
  let schema = tolerantSchemas.get(contract);
  if (!schema) {
    schema = tolerantOf(contract.data);
    tolerantSchemas.set(contract, schema);
  }
  return schema;
}

/** Validates the envelope only (not its data): enough to route a message by type. */
export function parseEnvelope(value: unknown): Envelope {
  const result = readWith(envelopeSchema, value);
  if (!result.success) {
    const issues = describeIssues(result.error, 'envelope');
    throw new MessageValidationError(`invalid envelope: ${issues.join('; ')}`, issues);
  }
  return result.data as Envelope;
}

/** The newest schema version of a known message type: the one its publishers send. */
export function currentVersion(type: MessageType): number {
  const versions = byTypeAndVersion.get(type);
  if (!versions) throw new MessageValidationError(`unknown message type "${type}"`);
  return Math.max(...versions.keys());
}

/**
 * Validates an envelope's data against the contract its type and schemaVersion name, then lifts an older
 * version through each newer contract's upcaster: the result is in the newest version (schemaVersion says so).
 */
export function validateData(envelope: Envelope): Envelope {
  let data = parseData(contractFor(envelope.type, envelope.schemaVersion), envelope.data);
  let schemaVersion = envelope.schemaVersion;
  for (let next = byTypeAndVersion.get(envelope.type)!.get(schemaVersion + 1); next;) {
    data = parseData(next, next.upcast!(data), `upcast from v${schemaVersion}`);
    schemaVersion = next.version;
    next = byTypeAndVersion.get(envelope.type)!.get(schemaVersion + 1);
  }
  return { ...envelope, schemaVersion, data };
}

function parseData(contract: Contract, data: unknown, how?: string): unknown {
  const result = readWith(acceptedSchemaOf(contract), data);
  if (!result.success) {
    const issues = describeIssues(result.error, 'data');
    const which = `${contract.type} v${contract.version}${how ? ` (${how})` : ''}`;
    throw new MessageValidationError(`invalid ${which}: ${issues.join('; ')}`, issues);
  }
  return result.data;
}

/** Validates envelope and data; the result is typed by the message type. */
export function parseMessage(value: unknown): MessageOf<MessageType> {
  return validateData(parseEnvelope(value)) as MessageOf<MessageType>;
}
