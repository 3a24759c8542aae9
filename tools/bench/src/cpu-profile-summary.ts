// What a V8 CPU profile (.cpuprofile, written by `node --cpu-prof`) says a process spent its CPU on: self time by
// function and by where the code lives (a package, a workspace project, V8's own work), so that a benchmark run
// with --cpu-prof names the hot spots without opening DevTools.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

export interface SelfTime {
  readonly name: string;
  readonly ms: number;
  /** Share of the profile's busy time (idle left out). */
  readonly share: number;
}

export interface ProfileSummary {
  /** Sampled time the process was not idle, ms. */
  readonly busyMs: number;
  readonly functions: readonly SelfTime[];
  readonly places: readonly SelfTime[];
}

/** V8's pseudo-frames: (idle) is waiting, not work; the others are work of the engine itself. */
const IDLE = '(idle)';

/** node_modules/<package> (scoped too), a workspace project (apps/x, libs/x, dist/… included), node's own, or V8's. */
export function placeOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const file = url.replace(/^file:\/\//, '');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (pkg) return pkg[1]!;
  const project = /(?:^|\/)(apps|libs|tools)\/([^/]+)\//.exec(file);
  if (project) return `${project[1]}/${project[2]}`;
  return file.startsWith('node:') ? 'node' : file;
}

/** A frame as a summary names it: the function, with its file and line when it has one. */
export function frameName({ functionName, url, lineNumber }: ProfileNode['callFrame']): string {
  const where = url === '' ? '' : ` ${path.basename(url)}:${lineNumber + 1}`;
  return `${functionName || '(anonymous)'}${where}`;
}

/** The `top` entries of a tally (time, bytes), highest first, each with its share of `total`. */
export function topShares(
  tally: ReadonlyMap<string, number>,
  total: number,
  top: number,
): { name: string; amount: number; share: number }[] {
  return [...tally]
    .sort(([, a], [, b]) => b - a)
    .slice(0, top)
    .map(([name, amount]) => ({ name, amount, share: total > 0 ? amount / total : 0 }));
}

/** Self time per function and per place, highest first (`top` of each). */
export function summariseProfile(profile: CpuProfile, top = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const functions = new Map<string, number>();
  const places = new Map<string, number>();
  let busyUs = 0;
  // timeDeltas[i] is the time before sample i; the time of sample i is the delta that follows it.
  for (let i = 0; i < samples.length; i++) {
    const node = byId.get(samples[i]!);
    const us = Math.max(0, deltas[i + 1] ?? 0);
    if (!node || node.callFrame.functionName === IDLE) continue;
    busyUs += us;
    const fn = frameName(node.callFrame);
    functions.set(fn, (functions.get(fn) ?? 0) + us);
    const place = placeOf(node.callFrame.url, node.callFrame.functionName);
    places.set(place, (places.get(place) ?? 0) + us);
  }
  const ranked = (m: Map<string, number>) =>
    topShares(m, busyUs, top).map(({ name, amount, share }) => ({ name, ms: amount / 1000, share }));
  return { busyMs: busyUs / 1000, functions: ranked(functions), places: ranked(places) };
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
  const line = (t: SelfTime) =>
    `  ${(t.share * 100).toFixed(1).padStart(5)} %  ${t.ms.toFixed(0).padStart(7)} ms  ${t.name}`;
  return [
    `${name}: ${(s.busyMs / 1000).toFixed(1)} s busy (sampled); self time by place:`,
    ...s.places.map(line),
    `${name}: self time by function:`,
    ...s.functions.map(line),
  ].join('\n');
}
