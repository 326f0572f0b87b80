// Preferences take effect at once and follow the person across reloads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { rpcAs } from './support/api.ts';
import { launch, openPage, screenshot, signIn, webUrl } from './support/browser.ts';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => {
  // Leave the demo person as the seed made them (only if the stack was there to change them).
  if (browser) await rpcAs('juniorCsm', 'update_user_preferences', { changes: { ui: { theme: 'light', compactMode: false }, chat: { shiftEnterToSubmit: false } } });
  await browser?.close();
});

describe('preferences', () => {
  it('switch the theme and density at once and keep them after a reload', async () => {
    const { page, errors, context } = await openPage(browser);
    await signIn(page, 'juniorCsm');
    await page.getByRole('link', { name: 'Preferences' }).click();
    const root = page.locator('html');

    await page.getByRole('radio', { name: 'Dark' }).check();
    await expect.poll(() => root.getAttribute('data-theme')).toBe('dark');
    await page.getByRole('checkbox', { name: /Compact mode/ }).check();
    await expect.poll(() => root.getAttribute('data-density')).toBe('compact');
    await page.getByRole('checkbox', { name: /Send with Shift/ }).check();
    await page.getByText('Send shortcut saved.').waitFor();
    await screenshot(page, 'preferences-dark');

    await page.reload();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await expect.poll(() => root.getAttribute('data-theme')).toBe('dark');
    await expect.poll(() => root.getAttribute('data-density')).toBe('compact');
    const stored = await rpcAs<{ ui: { theme: string }; chat: { shiftEnterToSubmit: boolean } }>('juniorCsm', 'get_user_preferences');
    expect(stored.data.ui.theme).toBe('dark');
    expect(stored.data.chat.shiftEnterToSubmit).toBe(true);

    // "Match my system" follows the operating system, live.
    await page.goto(`${webUrl()}/preferences`);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByRole('radio', { name: 'Match my system' }).check();
    await expect.poll(() => root.getAttribute('data-theme')).toBe('light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => root.getAttribute('data-theme')).toBe('dark');

    await page.getByRole('radio', { name: 'Light' }).check();
    await expect.poll(() => root.getAttribute('data-theme')).toBe('light');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
