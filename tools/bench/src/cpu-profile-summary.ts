// What a V8 CPU profile (.cpuprofile, written by `node --cpu-prof`) says a process spent its CPU on: self time by
// function and by where the code lives (a package, a workspace project, V8's own work), so that a benchmark run
// with --cpu-prof names the hot spots without opening DevTools.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { FrameTally, type CallFrame, type FrameSummary, type Share } from './profile-tally';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

/** Self time in ms: `total` is the time the process was not idle (sampled). */
export type ProfileSummary = FrameSummary;

/** V8's pseudo-frames: (idle) is waiting, not work; the others are work of the engine itself. */
const IDLE = '(idle)';

/** Self time per function and per place, highest first (`top` of each). */
export function summariseProfile(profile: CpuProfile, top = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const tally = new FrameTally();
  // timeDeltas[i] is the time before sample i; the time of sample i is the delta that follows it.
  for (let i = 0; i < samples.length; i++) {
    const node = byId.get(samples[i]!);
    if (!node || node.callFrame.functionName === IDLE) continue;
    tally.add(node.callFrame, Math.max(0, deltas[i + 1] ?? 0) / 1000);
  }
  return tally.summary(top);
}

/**
 * The profiles in `dir` of the named processes (node names them CPU.<date>.<time>.<pid>.<thread>.<n>.cpuprofile),
 * summarised: [process name, summary] for each profile of a known pid.
 */
export function summariseProfiles(
  dir: string,
  namesByPid: ReadonlyMap<number, string>,
  top = 15,
): [string, ProfileSummary][] {
  const summaries: [string, ProfileSummary][] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const pid = Number(file.split('.')[3]);
    const name = namesByPid.get(pid);
    if (name === undefined) continue;
    const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
    summaries.push([name, summariseProfile(profile, top)]);
  }
  return summaries.sort(([a], [b]) => a.localeCompare(b));
}

export function formatProfileSummary(name: string, s: ProfileSummary): string {
  const line = (t: Share) =>
    `  ${(t.share * 100).toFixed(1).padStart(5)} %  ${t.amount.toFixed(0).padStart(7)} ms  ${t.name}`;
  return [
    `${name}: ${(s.total / 1000).toFixed(1)} s busy (sampled); self time by place:`,
    ...s.places.map(line),
    `${name}: self time by function:`,
    ...s.functions.map(line),
  ].join('\n');
}
