// `npm run bench:module-heap`: what loading each part of a service costs in V8's heap, measured after full
// collections, in fresh processes running the compiled code as production does (dist/, tools/runtime/register.js).
// Each row loads one more part on top of the ones above it; the first is Node alone, the raw baseline. Then what
// one first use of an interface adds (its module's schemas are built on first use), and a whole service's
// modules (its Nest module, without starting it).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ensureCompiled } from '@yb/testing';
import { percentile } from './stats';

const ROOT = path.resolve(__dirname, '../../..');

/** Heap used after full collections, in a fresh process, once `script` has run. */
function heapAfter(script: string): number {
  const probe = `${script};globalThis.gc();globalThis.gc();console.log(process.memoryUsage().heapUsed)`;
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', '-r', './tools/runtime/register.js', '-e', probe],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, OTEL_SDK_DISABLED: 'true' },
    },
  );
  return Number(out.trim().split('\n').pop()) / 2 ** 20;
}

const runsAt = process.argv.indexOf('--runs');
const RUNS = runsAt < 0 ? 3 : Number(process.argv[runsAt + 1]);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error('--runs takes a whole number of at least 1');
const signed = (mib: number) => `${mib < 0 ? '−' : '+'}${Math.abs(mib).toFixed(1)}`;
const measure = (script: string) =>
  percentile(
    Array.from({ length: RUNS }, () => heapAfter(script)).sort((a, b) => a - b),
    50,
  );

const layers: [string, string][] = [
  ['node alone (raw baseline)', ''],
  ['+ zod', "require('zod')"],
  ['+ @yb/contracts', "require('@yb/contracts')"],
  ['+ typeorm', "require('typeorm')"],
  ['+ @yb/platform-client', "require('@yb/platform-client')"],
  ['+ @yb/event-store', "require('@yb/event-store')"],
  ['+ kafkajs, @yb/messaging', "require('@yb/messaging')"],
  ['+ @yb/service-runtime (Nest)', "require('@yb/service-runtime')"],
];
const uses: [string, string][] = [
  ['+ a first 2301 answer read', "require('@yb/platform-client').readOutput('2301', { result: [] })"],
  [
    '+ a first 2401 input checked',
    "try { require('@yb/platform-client').validateInput('2401', {}) } catch {}",
  ],
];
const services = ['admission', 'fee-detail', 'settlement', 'quality', 'catalogue'];

ensureCompiled();
console.log(`heap used after full collections, MiB (median of ${RUNS} fresh processes each)`);
let script = '';
let before = 0;
for (const [label, add] of layers) {
  script = script ? `${script};${add}` : add;
  const heap = measure(script);
  console.log(`${label.padEnd(40)} ${heap.toFixed(1).padStart(6)}  ${before ? signed(heap - before) : ''}`);
  before = heap;
}
const loaded = before;
for (const [label, use] of uses) {
  const heap = measure(`${script};${use}`);
  console.log(`${label.padEnd(40)} ${heap.toFixed(1).padStart(6)}  ${signed(heap - loaded)}`);
}
for (const service of services) {
  const heap = measure(`require('./dist/apps/${service}/src/${service}.module.js')`);
  console.log(`${`${service}'s modules, loaded`.padEnd(40)} ${heap.toFixed(1).padStart(6)}`);
}
