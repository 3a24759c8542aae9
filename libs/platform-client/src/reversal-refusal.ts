/**
 * What a refused 2601 冲正 says of the call it was to reverse, from the platform's wording (the sandbox's today;
 * README: to be checked against Hubei's real platform):
 * - `original-never-received`: the platform holds no call with that msgid — it was never applied, so the
 *   request is sent again (with a new msgid), by every service alike;
 * - `already-reversed`: an earlier 2601 reversed it (one sent again after a crash) — as good as REVERSED;
 * - `other`: anything else — a person must look.
 */
export type ReversalRefusalMeaning = 'original-never-received' | 'already-reversed' | 'other';

const ORIGINAL_NEVER_RECEIVED = /未找到原交易|原交易不存在/;
const ALREADY_REVERSED = /已冲正/;

export function reversalRefusalMeaning(err_msg: string | undefined): ReversalRefusalMeaning {
  const text = err_msg ?? '';
  if (ORIGINAL_NEVER_RECEIVED.test(text)) return 'original-never-received';
  if (ALREADY_REVERSED.test(text)) return 'already-reversed';
  return 'other';
}

/**
 * The one rule every service follows with a 2601's result (admission's 2401, settlement's 2304/2305): only a
 * business answer decides.
 * - `not-applied`: reversed (now or earlier), or refused because the platform never received the original —
 *   nothing of the original stands, so the original is sent again with a new msgid;
 * - `unanswered`: 2601 got no answer (timeout, unreachable, 5xx without an envelope) — silence is not an answer,
 *   so the same 2601 is asked again, with backoff, until the platform answers;
 * - `needs-person`: any other refusal, the only case a person must look at.
 */
export type ReversalVerdict = 'not-applied' | 'unanswered' | 'needs-person';

export function reversalVerdict(
  status: 'REVERSED' | 'REVERSAL_REFUSED' | 'UNKNOWN',
  err_msg?: string,
): ReversalVerdict {
  if (status === 'REVERSED') return 'not-applied';
  if (status === 'UNKNOWN') return 'unanswered';
  return reversalRefusalMeaning(err_msg) === 'other' ? 'needs-person' : 'not-applied';
}
