import { EnvelopeSealError, unsealEnvelope, type UnsealKeys } from './crypto/envelope-seal';
import type { ResponseEnvelope } from './envelope';
import { TransportFailure, type TransportResponse } from './transport/platform-transport';

/**
 * SUCCEEDED: infcode 0. REJECTED: a business answer with infcode ≠ 0 (nothing happened). UNKNOWN: no
 * trustworthy answer, so the platform may or may not have acted.
 */
export type CallStatus = 'SUCCEEDED' | 'REJECTED' | 'UNKNOWN';

export type CallOutcome =
  | { status: 'SUCCEEDED'; infcode: number; response: ResponseEnvelope }
  | { status: 'REJECTED'; infcode: number; err_msg: string; response: ResponseEnvelope }
  | { status: 'UNKNOWN'; reason: string };

function unknown(reason: string): CallOutcome {
  return { status: 'UNKNOWN', reason };
}

/** infcode arrives as a number or a numeric string ("0"); anything else is not an answer. */
function parseInfcode(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

/** Classifies what came back; `keys` verify the platform's SM2 signature and decrypt `output`. */
export function classifyAnswer(answer: TransportResponse, keys: UnsealKeys): CallOutcome {
  if (answer.status >= 500) return unknown(`HTTP ${answer.status}`);
  // A file is the platform's success answer to a download; it is kept as the envelope's output (Base64).
  if (answer.file) return { status: 'SUCCEEDED', infcode: 0, response: fileEnvelope(answer.file) };
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body);
  } catch {
    return unknown(`HTTP ${answer.status} with an answer that is not JSON`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return unknown(`HTTP ${answer.status} with an answer that is not an envelope`);
  }
  const infcode = parseInfcode((parsed as Record<string, unknown>).infcode);
  if (infcode === undefined) return unknown(`HTTP ${answer.status} with an answer without a numeric infcode`);
  let response: ResponseEnvelope;
  try {
    response = unsealEnvelope(parsed as ResponseEnvelope, 'output', keys);
  } catch (err) {
    if (err instanceof EnvelopeSealError) return unknown(`unverifiable answer: ${err.message}`);
    throw err;
  }
  if (infcode === 0) return { status: 'SUCCEEDED', infcode, response };
  return { status: 'REJECTED', infcode, err_msg: response.err_msg ?? '', response };
}

/** A send that produced no answer; whatever a transport threw, the request may have left. */
export function classifyFailure(err: unknown): CallOutcome {
  if (err instanceof TransportFailure) return unknown(`${err.kind}: ${err.message}`);
  return unknown(`transport error: ${err instanceof Error ? err.message : String(err)}`);
}

function fileEnvelope(file: Buffer): ResponseEnvelope {
  return { infcode: 0, output: { file: file.toString('base64') } };
}
