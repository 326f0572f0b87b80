// Forms say what is wrong in the app's words beside the field, which takes the focus, never in
// the browser's own bubble ("Please fill out this field", "Value must be greater than or equal
// to 0"): the sign-in page with its fields left empty, and Admin → Settings with a threshold out
// of range (refused by the server, nothing changed, the words placed beside the field).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, openPage, screenshot, signIn, webUrl } from './support/browser.ts';

const E2E_TIMEOUT = 90_000;
let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

/** The words tied to the focused control (aria-describedby), and whether its form leaves the browser's checks out. */
function focusedProblem(page: Page) {
  return page.evaluate(() => {
    const control = document.activeElement as HTMLInputElement | null;
    const ids = control?.getAttribute('aria-describedby')?.split(' ') ?? [];
    return {
      label: control?.labels?.[0]?.textContent ?? null,
      words: ids.map((id) => document.getElementById(id)?.textContent).filter(Boolean).join(' '),
      noValidate: control?.form?.noValidate ?? null,
    };
  });
}

describe('a form\'s problems', () => {
  it('on the sign-in page are said beside the empty field, in words', async () => {
    const { page, errors, context } = await openPage(browser, { width: 390, height: 844 });
    try {
      await page.goto(`${webUrl()}/`);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      expect(await focusedProblem(page)).toEqual({ label: 'Email', words: 'Enter your email address.', noValidate: true });
      await page.getByLabel('Email').fill('sam.csm@acme.test');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      expect(await focusedProblem(page)).toEqual({ label: 'Password', words: 'Enter your password.', noValidate: true });
      await screenshot(page, 'sign-in-empty-password');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, E2E_TIMEOUT);

  it('on Admin → Settings put a threshold out of range beside it, in the server\'s words', async () => {
    const { page, errors, context } = await openPage(browser, { width: 390, height: 844 });
    try {
      await signIn(page, 'admin');
      await page.goto(`${webUrl()}/admin/settings`);
      const risk = page.getByLabel('Risk assessment from risk score');
      const before = await risk.inputValue();
      await risk.fill('-5');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await expect.poll(() => focusedProblem(page), { message: 'the field named, with its problem' })
        .toEqual({ label: 'Risk assessment from risk score', words: 'Must be a whole number from 0 to 100.', noValidate: true });
      await screenshot(page, 'settings-threshold-out-of-range');
      await page.reload();
      expect(await page.getByLabel('Risk assessment from risk score').inputValue(), 'nothing changed').toBe(before);
      // the refusal is a 400 the browser logs as a failed resource
      expect(errors.filter((line) => !/status of 400/.test(line))).toEqual([]);
    } finally {
      await context.close();
    }
  }, E2E_TIMEOUT);
});
