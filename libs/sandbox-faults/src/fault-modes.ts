/**
 * The faults the platform sandbox (apps/platform-sim) injects per interface — the ways a real platform call goes
 * wrong — named once for the sandbox, which arms them (POST /sim/faults), and for what drives it (the chaos
 * harness, tests):
 *  - latency               answer normally, `latencyMs` late
 *  - timeout-after-apply   apply the transaction, then hold the answer past the client's timeout (the dangerous case)
 *  - timeout-before-apply  hold the request past the client's timeout, then drop it unapplied
 *  - http-5xx              the gateway answers 502 without reaching the platform
 *  - connection-reset      the socket is destroyed before anything is applied
 *  - malformed-body        the transaction is applied, the answer arrives truncated (not JSON)
 *  - reject                infcode -1 with `errMsg`, nothing applied
 *  - answer-without        apply the transaction and answer infcode 0 without the `omit` output fields
 *                          (dotted paths into `output`, e.g. `setlinfo.setl_id`): real answers leave out fields
 *                          the spec calls required
 */
export const FAULT_MODES = [
  'latency',
  'timeout-after-apply',
  'timeout-before-apply',
  'http-5xx',
  'connection-reset',
  'malformed-body',
  'reject',
  'answer-without',
] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

/** The field a mode cannot be armed without (the others need only infno and, optionally, times). */
export const FAULT_MODE_REQUIRES: Readonly<Partial<Record<FaultMode, 'latencyMs' | 'omit'>>> = {
  latency: 'latencyMs',
  'answer-without': 'omit',
};
