import { type z } from 'zod';
import { type Contract } from './contract';
import { envelopeSchema, type Envelope } from './envelope';
import { ADMISSION_CONTRACTS } from './commands-admission';
import { FEE_DETAIL_CONTRACTS } from './commands-fee-detail';
import { HIS_CLINICAL_CONTRACTS } from './his-clinical';
import { HIS_INPATIENT_CONTRACTS } from './his-inpatient';
import { INSURANCE_INPATIENT_CONTRACTS } from './insurance-inpatient';
import { PLATFORM_CALL_CONTRACTS } from './platform-calls';
import { QUALITY_CONTRACTS } from './commands-quality';
import { REPORTING_CONTRACTS } from './commands-reporting';
import { SETTLEMENT_CONTRACTS } from './commands-settlement';

/** Every message contract, all versions. */
export const CONTRACTS = [
  ...HIS_INPATIENT_CONTRACTS,
  ...HIS_CLINICAL_CONTRACTS,
  ...INSURANCE_INPATIENT_CONTRACTS,
  ...FEE_DETAIL_CONTRACTS,
  ...ADMISSION_CONTRACTS,
  ...SETTLEMENT_CONTRACTS,
  ...QUALITY_CONTRACTS,
  ...REPORTING_CONTRACTS,
  ...PLATFORM_CALL_CONTRACTS,
] as const;

type AnyContract = (typeof CONTRACTS)[number];
export type MessageType = AnyContract['type'];
/** The data of a message type, as a union over its versions. */
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
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))].join('');
    return `${path.replace(/^\./, '')}: ${issue.message}`;
  });
}

/** Validates the envelope only (not its data): enough to route a message by type. */
export function parseEnvelope(value: unknown): Envelope {
  const result = envelopeSchema.safeParse(value);
  if (!result.success) {
    const issues = describeIssues(result.error, 'envelope');
    throw new MessageValidationError(`invalid envelope: ${issues.join('; ')}`, issues);
  }
  return result.data as Envelope;
}

/** Validates an envelope's data against the contract its type and schemaVersion name. */
export function validateData(envelope: Envelope): Envelope {
  const contract = contractFor(envelope.type, envelope.schemaVersion);
  const result = contract.data.safeParse(envelope.data);
  if (!result.success) {
    const issues = describeIssues(result.error, 'data');
    throw new MessageValidationError(
      `invalid ${envelope.type} v${envelope.schemaVersion}: ${issues.join('; ')}`,
      issues,
    );
  }
  return { ...envelope, data: result.data };
}

/** Validates envelope and data; the result is typed by the message type. */
export function parseMessage(value: unknown): MessageOf<MessageType> {
  return validateData(parseEnvelope(value)) as MessageOf<MessageType>;
}
