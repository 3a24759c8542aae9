import { maskIdentifiersInText } from '@yb/observability';
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

/**
 * The platform's err_msg and warn_msg, and a failure's text, can quote the patient (a name, an ID or mobile
 * number, the person number): masked here, as the answer is read, so that no event, log line, span, journal
 * column or dashboard page gets them in clear. `quoting` are the identifiers the request carried (a name no
 * pattern can find); ID and mobile numbers are found by pattern whoever they belong to. Codes and words stay.
 */
export type QuotedIdentifiers = readonly string[];

function unknown(reason: string, quoting: QuotedIdentifiers): CallOutcome {
  return { status: 'UNKNOWN', reason: maskIdentifiersInText(reason, quoting) };
}

function maskedAnswerText(response: ResponseEnvelope, quoting: QuotedIdentifiers): ResponseEnvelope {
  const masked = { ...response };
  for (const field of ['err_msg', 'warn_msg'] as const) {
    const text = response[field];
    if (typeof text === 'string') masked[field] = maskIdentifiersInText(text, quoting);
  }
  return masked;
}

/** infcode arrives as a number or a numeric string ("0"); anything else is not an answer. */
function parseInfcode(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

/**
 * Classifies what came back; `keys` verify the platform's SM2 signature and decrypt `output`; the answer's texts
 * are masked (`quoting`: the request's identifiers).
 */
export function classifyAnswer(
  answer: TransportResponse,
  keys: UnsealKeys,
  quoting: QuotedIdentifiers = [],
): CallOutcome {
  if (answer.status >= 500) return unknown(`HTTP ${answer.status}`, quoting);
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body);
  } catch {
    return unknown(`HTTP ${answer.status} with an answer that is not JSON`, quoting);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return unknown(`HTTP ${answer.status} with an answer that is not an envelope`, quoting);
  }
  const infcode = parseInfcode((parsed as Record<string, unknown>).infcode);
  if (infcode === undefined) {
    return unknown(`HTTP ${answer.status} with an answer without a numeric infcode`, quoting);
  }
  let response: ResponseEnvelope;
  try {
    response = maskedAnswerText(unsealEnvelope(parsed as ResponseEnvelope, 'output', keys), quoting);
  } catch (err) {
    if (err instanceof EnvelopeSealError) return unknown(`unverifiable answer: ${err.message}`, quoting);
    throw err;
  }
  if (infcode === 0) return { status: 'SUCCEEDED', infcode, response };
  return { status: 'REJECTED', infcode, err_msg: response.err_msg ?? '', response };
}

/** A send that produced no answer; whatever a transport threw, the request may have left. Its text masked. */
export function classifyFailure(err: unknown, quoting: QuotedIdentifiers = []): CallOutcome {
  if (err instanceof TransportFailure) return unknown(`${err.kind}: ${err.message}`, quoting);
  return unknown(`transport error: ${err instanceof Error ? err.message : String(err)}`, quoting);
}
