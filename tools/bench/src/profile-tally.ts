// What the CPU and the allocation profile summaries share: a frame's name and place, and a tally of an amount (time,
// bytes) by function and by place, ranked with each entry's share of the whole.
import path from 'node:path';

export interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

export interface Share {
  readonly name: string;
  /** In the summary's unit: ms for time, bytes for allocation. */
  readonly amount: number;
  /** Of the summary's total. */
  readonly share: number;
}

export interface FrameSummary {
  /** The whole tallied amount (busy ms, bytes allocated). */
  readonly total: number;
  readonly functions: readonly Share[];
  readonly places: readonly Share[];
}

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
export function frameName({ functionName, url, lineNumber }: CallFrame): string {
  const where = url === '' ? '' : ` ${path.basename(url)}:${lineNumber + 1}`;
  return `${functionName || '(anonymous)'}${where}`;
}

/** Adds up an amount by function and by place; `summary` ranks the `top` of each, highest first. */
export class FrameTally {
  private total = 0;
  private readonly functions = new Map<string, number>();
  private readonly places = new Map<string, number>();

  add(frame: CallFrame, amount: number): void {
    this.addNamed(frameName(frame), placeOf(frame.url, frame.functionName), amount);
  }

  /** An amount of a function already named, at a place already named. */
  addNamed(fn: string, place: string, amount: number): void {
    this.total += amount;
    this.functions.set(fn, (this.functions.get(fn) ?? 0) + amount);
    this.places.set(place, (this.places.get(place) ?? 0) + amount);
  }

  summary(top: number): FrameSummary {
    const ranked = (tally: ReadonlyMap<string, number>): Share[] =>
      [...tally]
        .sort(([, a], [, b]) => b - a)
        .slice(0, top)
        .map(([name, amount]) => ({ name, amount, share: this.total > 0 ? amount / this.total : 0 }));
    return { total: this.total, functions: ranked(this.functions), places: ranked(this.places) };
  }
}
