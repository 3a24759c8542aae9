// Jest global setup of the projects with browser tests (the dashboard's): the stack as for every project, and
// the browser those tests drive — Debian's Chromium and a CJK font for the Chinese pages — installed when
// missing, as the stack is started when missing, so that `npm test` needs no step of its own before it.
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const globalSetup = require('./global-setup');

module.exports = async function globalSetupWithBrowser(globalConfig, projectConfig) {
  await globalSetup(globalConfig, projectConfig);
  if (globalThis.__YB_BROWSER_READY__) return;
  const script = path.join(__dirname, '../../../tools/stack/ensure-chromium.sh');
  const result = spawnSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status !== 0) {
    throw new Error(
      `${path.relative(process.cwd(), script)} could not provide Chromium (exit ${result.status})`,
    );
  }
  process.stderr.write(`[browser] ${result.stdout.trim().split('\n').pop()}\n`);
  globalThis.__YB_BROWSER_READY__ = true;
};
