// Signing out while the workspace is still loading: the calls under way are abandoned (the
// browser aborts them), nothing more goes out after the click, and the console stays clean.
// Before, a page that was still loading could send its next call after the sign-out, which
// went out without the session and came back 401 (web/src/lib/sessionFetch.ts). A sign-out
// that cannot reach Auth still signs this device out (the browser forgets the session first);
// signing out everywhere that cannot reach Auth leaves the person signed in, told so, and working.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Request } from 'playwright-core';
import { launch, openPage, signIn } from './support/browser.ts';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

const HOLD_MS = 3_000;
const isDataCall = (request: Request) => /\/(rest|functions)\/v1\//.test(request.url());

describe('signing out mid-load', () => {
  it('aborts the calls under way and sends none after the click', async () => {
    const { page, errors, context } = await openPage(browser);
    // Every data call but the profile (which the Sign out button waits for) is answered 3 s late,
    // so the workspace is still loading when the button is clicked.
    await page.route(/\/(rest|functions)\/v1\//, async (route) => {
      if (!route.request().url().endsWith('/rpc/get_my_profile')) await new Promise((r) => setTimeout(r, HOLD_MS));
      await route.continue().catch(() => { /* aborted by the page meanwhile */ });
    });
    const sent: Array<{ at: number; url: string }> = [];
    const aborted: string[] = [];
    const answered: Array<{ at: number; url: string }> = [];
    page.on('request', (request) => { if (isDataCall(request)) sent.push({ at: Date.now(), url: request.url() }); });
    page.on('requestfailed', (request) => { if (isDataCall(request)) aborted.push(request.url()); });
    page.on('requestfinished', (request) => { if (isDataCall(request)) answered.push({ at: Date.now(), url: request.url() }); });

    await signIn(page, 'csm');
    // The pages' first calls go out in the renders after the Sign out button appears: wait
    // until none has started for 300 ms (all of them held), so that "after the click" counts
    // only what the sign-out let through.
    for (let seen = -1; seen !== sent.length;) {
      seen = sent.length;
      await page.waitForTimeout(300);
    }
    const clickedAt = Date.now();
    const inFlight = sent.filter((call) => !answered.some((done) => done.url === call.url)).length;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to your workspace' }).waitFor();
    await page.waitForTimeout(HOLD_MS + 1_000);

    // The workspace had calls waiting (the queue, the brief, the bell) when the button was clicked.
    expect(inFlight).toBeGreaterThan(0);
    expect(sent.filter((call) => call.at > clickedAt).map((call) => call.url)).toEqual([]);
    expect(answered.filter((call) => call.at > clickedAt).map((call) => call.url)).toEqual([]);
    expect(aborted.length).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('a sign-out that cannot reach Auth still signs this device out', async () => {
    const { page, errors, context } = await openPage(browser);
    await signIn(page, 'csm');
    await page.route('**/auth/v1/logout**', (route) => route.abort('connectionfailed'));
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to your workspace' }).waitFor();
    expect(errors.filter((line) => !line.includes('/auth/v1/logout'))).toEqual([]);
    await context.close();
  }, 60_000);

  it('signing out everywhere that cannot reach Auth leaves the person signed in, says so, and their calls still go out', async () => {
    const { page, errors, context } = await openPage(browser);
    await signIn(page, 'csm');
    await page.route('**/auth/v1/logout**', (route) => route.abort('connectionfailed'));
    await page.goto(new URL('/preferences', page.url()).toString());
    await page.getByRole('button', { name: 'End every session…' }).click();
    await page.getByRole('button', { name: 'End every session', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'You are still signed in' }).waitFor();

    // The session's calls were let through again: a page that loads its data still does.
    const tasks = page.waitForResponse((response) => response.url().endsWith('/rpc/list_tasks') && response.ok());
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tasks' }).click();
    await tasks;
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(1);
    // The one failed request is the refused sign-out itself.
    expect(errors.filter((line) => !line.includes('/auth/v1/logout'))).toEqual([]);
    await context.close();
  }, 60_000);
});
