import { type Contract, createEnvelope, type Envelope } from '@yb/contracts';

/** A message of `contract` for the visit `key`: its data (the example unless given) with data.ipt_no = key. */
export function visitEnvelope(
  contract: Contract,
  key: string,
  data: object = contract.example,
  traceparent: string | null = null,
): Envelope {
  return createEnvelope({
    type: contract.type,
    schemaVersion: contract.version,
    key,
    data: { ...data, ipt_no: key },
    traceparent,
  });
}
