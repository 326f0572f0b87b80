// Drives Debian's chromium with playwright-core for the end-to-end tests. Every page
// collects console errors (a test fails on any) and screenshots go to the test output
// folder: $RENUBU_TEST_OUTPUT/e2e/<date>-run-<pid>/ (default test-results/).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEMO_PASSWORD, DEMO_PEOPLE, type DemoPerson } from '../../support/demo-people.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function webUrl(): string {
  const url = process.env.RENUBU_WEB_URL;
  if (!url) throw new Error('RENUBU_WEB_URL is not set: run the suite with `npm test`, which starts a throwaway stack.');
  return url.replace(/\/$/, '');
}

// vitest runs each file in a fork of one parent process: its pid groups one run's screenshots.
const runStamp = `${new Date().toISOString().slice(0, 10)}-run-${process.ppid}`;
export const screenshotDir = path.resolve(process.env.RENUBU_TEST_OUTPUT ?? 'test-results', 'e2e', runStamp);

/**
 * Fails fast, with the reason, when the stack under test does not answer: a server that
 * accepts connections but never replies would otherwise hang every hook until its timeout.
 */
export async function assertStackAnswers(): Promise<void> {
  const url = `${webUrl()}/renubu-config.json`;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
  } catch (error) {
    throw new Error(`The web server at ${url} does not answer (${(error as Error).message}). `
      + 'Is the process that serves the stack blocked, e.g. running the tests with a synchronous spawn?');
  }
}

export async function launch(): Promise<Browser> {
  await assertStackAnswers();
  // playwright gives every launch a fresh, throwaway profile (its own --user-data-dir) and
  // adds --headless itself; the rest keeps chromium off the network and quiet.
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

export interface TrackedPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
}

export async function openPage(browser: Browser, viewport = { width: 1280, height: 900 }): Promise<TrackedPage> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors: string[] = [];
  // A failed request's console line does not say which request: the location adds its address.
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const where = message.text().startsWith('Failed to load resource') ? ` (${message.location().url})` : '';
    errors.push(`${message.text()}${where}`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.setDefaultTimeout(20_000);
  return { context, page, errors };
}

export async function signIn(page: Page, person: DemoPerson): Promise<void> {
  await page.goto(`${webUrl()}/`);
  await page.getByLabel('Email').fill(DEMO_PEOPLE[person]);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in to your workspace' }).waitFor();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
