import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const root = path.join(__dirname, '../../../..');

/** Debian's Chromium (no browser download), headless, with the network features that would reach out disabled. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Builds the page with Vite into `outDir` (the same build `npm run build` makes, elsewhere). */
export function buildWeb(outDir: string): void {
  const result = spawnSync(
    process.execPath,
    [
      path.join(root, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      path.join(root, 'apps/billing-dashboard/web/vite.config.mts'),
      '--outDir',
      outDir,
      '--logLevel',
      'warn',
    ],
    { cwd: root, encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`vite build failed:\n${result.stdout}\n${result.stderr}`);
}

export const SCREENSHOTS = path.join(root, 'tmp/screenshots');
/** Screenshots the documentation shows (docs/screenshots), kept in the repository. */
export const DOC_SCREENSHOTS = path.join(root, 'docs/screenshots');

/** A new browser context signed in to the dashboard at `url` (Chinese, as the billing office uses it). */
export async function signInPage(
  browser: Browser,
  url: string,
  username: string,
  password: string,
): Promise<Page> {
  const page = await (
    await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'zh-CN' })
  ).newPage();
  await page.goto(url);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.getByTestId('who').waitFor();
  return page;
}

/** Saves a full-page screenshot as <dir>/<name>.png (tmp/screenshots unless told). */
export async function screenshot(page: Page, name: string, dir = SCREENSHOTS): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

/** Waits until an element matching `selector` shows `text`. */
export async function expectText(
  page: Page,
  selector: string,
  text: string,
  timeout = 20_000,
): Promise<void> {
  await page.locator(selector).filter({ hasText: text }).first().waitFor({ timeout });
}

/**
 * Asks the dashboard, from inside the page (with its session cookie and, as the page does, the session's CSRF
 * token), and returns the HTTP status.
 */
export async function postFromPage(page: Page, route: string, body: unknown): Promise<number> {
  return (await askFromPage(page, route, body)).status;
}

/** As postFromPage, with the answer's message (the dashboard's errors carry one). */
export function askFromPage(
  page: Page,
  route: string,
  body: unknown,
): Promise<{ status: number; message: string }> {
  return page.evaluate(
    async ([r, b]) => {
      const { csrf_token } = (await (await fetch('/api/session')).json()) as { csrf_token: string };
      const response = await fetch(r, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf_token },
        body: JSON.stringify(b),
      });
      const answer = (await response.json().catch(() => ({}))) as { message?: string };
      return { status: response.status, message: answer.message ?? '' };
    },
    [route, body] as const,
  );
}
