#!/usr/bin/env node
// `node tools/start/dashboard-screenshot.mjs [out.png]`: signs in to the dashboard `npm start` runs (the generated
// admin of .cache/start/dashboard-users.json, or DASHBOARD_URL / DASHBOARD_USER / DASHBOARD_PASSWORD) and saves
// the overview as the billing office sees it (Chinese, 1360 px wide) — how docs/screenshots/ is made. Drives
// Debian's Chromium as the dashboard's browser tests do (CHROMIUM_PATH names another).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const out = path.resolve(process.argv[2] ?? path.join(root, 'docs/screenshots/dashboard-overview.png'));
const url = process.env.DASHBOARD_URL ?? 'http://127.0.0.1:8786/';
const users = fs.existsSync(path.join(root, '.cache/start/dashboard-users.json'))
  ? JSON.parse(fs.readFileSync(path.join(root, '.cache/start/dashboard-users.json'), 'utf8'))
  : [];
const admin = users.find((u) => u.role === 'admin') ?? {};
const username = process.env.DASHBOARD_USER ?? admin.username;
const password = process.env.DASHBOARD_PASSWORD ?? admin.password;
if (!username || !password) {
  console.error('no dashboard user: run `npm start` once, or set DASHBOARD_USER and DASHBOARD_PASSWORD');
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(url);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.getByTestId('who').waitFor();
  await page.goto(new URL('#/overview', url).href);
  // The charts draw after the overview's data arrives.
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(1500);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await page.screenshot({ path: out, fullPage: true });
  console.log(`saved ${path.relative(process.cwd(), out)}`);
} finally {
  await browser.close();
}
