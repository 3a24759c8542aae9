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
