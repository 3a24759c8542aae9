// The platform faults a chaos run arms: every mode of the simulator, spread over the interfaces the running
// services call, each for one call (times 1), so that the run sees the fault and its recovery.
import { FAULT_MODE_REQUIRES, FAULT_MODES, type FaultMode } from '@yb/sandbox-faults';
import { type HospitalService } from '@yb/testing';

/**
 * The sandbox's fault modes a run arms: all but those that need per-interface knowledge (answer-without names the
 * answer fields to leave out, and its outcome is a person's to complete, not a recovery to reconcile).
 */
const RUN_MODES = FAULT_MODES.filter((mode) => FAULT_MODE_REQUIRES[mode] !== 'omit');

export interface PlatformFault {
  readonly infno: string;
  readonly mode: FaultMode;
  readonly times: number;
  readonly latencyMs?: number;
  readonly errMsg?: string;
}

/** The interfaces each service calls under the HIS's steady load, most frequent first. */
const INTERFACES_IN_USE: Readonly<Record<HospitalService, readonly string[]>> = {
  'fee-detail': ['2301', '2302'],
  admission: ['2401', '1101', '2403'],
  settlement: ['2303', '2304'],
  quality: ['3102'],
  reporting: ['4401', '4101A'],
  'billing-dashboard': [],
  // Calls the platform only when a day is reconciled, not under the HIS's load.
  reconciliation: [],
  // Its downloads run daily, not under the HIS's load.
  catalogue: [],
};

/**
 * Mode i goes to interface i (round robin over the services' interfaces, interleaved), so that every mode is
 * armed and every interface in use gets at least one when there are fewer interfaces than modes.
 */
export function faultPlan(services: readonly HospitalService[], clientTimeoutMs: number): PlatformFault[] {
  const lists = services.map((s) => INTERFACES_IN_USE[s]);
  const interfaces: string[] = [];
  for (let i = 0; interfaces.length < lists.reduce((n, l) => n + l.length, 0); i += 1)
    for (const list of lists) if (list[i]) interfaces.push(list[i]!);
  if (interfaces.length === 0) return [];
  const modes = Math.max(RUN_MODES.length, interfaces.length);
  return Array.from({ length: modes }, (_, i) => {
    const mode = RUN_MODES[i % RUN_MODES.length]!;
    const infno = interfaces[i % interfaces.length]!;
    // Held past the client's timeout, so that the call ends UNKNOWN; a plain latency stays under it.
    const latencyMs =
      mode === 'latency'
        ? Math.round(clientTimeoutMs / 2)
        : mode.startsWith('timeout')
          ? clientTimeoutMs * 2
          : undefined;
    return {
      infno,
      mode,
      times: 1,
      ...(latencyMs !== undefined && { latencyMs }),
      ...(mode === 'reject' && { errMsg: '混沌测试：平台拒绝' }),
    };
  });
}
