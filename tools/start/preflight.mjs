#!/usr/bin/env node
// Runs before `npm start`, `npm test`, the benchmarks and the chaos harness, so that each works as the very first
// command on a fresh clone: when the dependencies are not installed (no node_modules, or npm never finished
// installing them there), it runs `npm ci` from the committed lockfile. Only Node's built-ins here: nothing
// else is installed yet when it runs.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * npm writes node_modules/.package-lock.json last, once an install completed: without it the tree is missing
 * or half-made. A lockfile that moved on since is left to the developer (`npm ci`): replacing a working tree
 * under their feet is not a preflight's call.
 */
export function ensureDependencies() {
  if (fs.existsSync(path.join(root, 'node_modules/.package-lock.json'))) return;
  console.log('[preflight] dependencies not installed: npm ci (once, from package-lock.json) …');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const install = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (install.status !== 0) {
    console.error(`[preflight] npm ci failed (exit ${install.status ?? install.signal}); see above`);
    process.exit(install.status || 1);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) ensureDependencies();
