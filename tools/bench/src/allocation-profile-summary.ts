// What a process allocated, as V8's sampling heap profiler estimates it (tools/runtime/allocation-sampler.js writes
// the profile, collected objects included): bytes by function and by where the code lives, so that a benchmark run
// with --alloc-prof names what makes the garbage the collector then spends its time on.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { FrameTally, type CallFrame, type FrameSummary, type Share } from './profile-tally';

interface AllocationNode {
  readonly callFrame: CallFrame;
  /** Bytes allocated here, estimated from the samples (V8 scales each sample by its chance of being taken). */
  readonly selfSize: number;
  readonly children: readonly AllocationNode[];
}

export interface AllocationProfile {
  readonly head: AllocationNode;
}

/** Bytes: `total` is all the process allocated while sampled. */
export type AllocationSummary = FrameSummary;

/** Bytes allocated per function and per place, highest first (`top` of each). */
export function summariseAllocations(profile: AllocationProfile, top = 12): AllocationSummary {
  const tally = new FrameTally();
  const pending: AllocationNode[] = [profile.head];
  for (let node = pending.pop(); node; node = pending.pop()) {
    pending.push(...node.children);
    if (node.selfSize > 0) tally.add(node.callFrame, node.selfSize);
  }
  return tally.summary(top);
}

/** The profiles in `dir` (Alloc.<pid>.heapprofile) of the named processes: [process name, summary]. */
export function summariseAllocationProfiles(
  dir: string,
  namesByPid: ReadonlyMap<number, string>,
  top = 12,
): [string, AllocationSummary][] {
  const summaries: [string, AllocationSummary][] = [];
  for (const file of readdirSync(dir).filter((f) => /^Alloc\.\d+\.heapprofile$/.test(f))) {
    const name = namesByPid.get(Number(file.split('.')[1]));
    if (name === undefined) continue;
    const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as AllocationProfile;
    summaries.push([name, summariseAllocations(profile, top)]);
  }
  return summaries.sort(([a], [b]) => a.localeCompare(b));
}

const MIB = 1024 * 1024;

/** `lines`: the fee lines the run carried, for the bytes allocated per line. */
export function formatAllocationSummary(name: string, s: AllocationSummary, lines?: number): string {
  const line = (site: Share) =>
    `  ${(site.share * 100).toFixed(1).padStart(5)} %  ${(site.amount / MIB).toFixed(0).padStart(6)} MiB  ${site.name}`;
  const perLine = lines ? `, ${(s.total / 1024 / lines).toFixed(1)} KiB per fee line` : '';
  return [
    `${name}: ${(s.total / MIB).toFixed(0)} MiB allocated (sampled, collected included)${perLine}; by place:`,
    ...s.places.map(line),
    `${name}: allocated by function:`,
    ...s.functions.map(line),
  ].join('\n');
}
