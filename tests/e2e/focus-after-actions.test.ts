// A button disabled while its call runs (Log call on a customer page) has the focus back once
// the call is done, in a real browser, which moves the focus to the page the moment a focused
// control is disabled (web/src/lib/keepFocus.ts).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { withDb } from '../support/stack.ts';
import { rpcAs } from './support/api.ts';
import { launch, openPage, signIn, webUrl } from './support/browser.ts';

const E2E_TIMEOUT = 120_000;
let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

describe('the focus after an action', () => {
  it('is back on Log call once the call is logged, and in the box when nothing was said', async () => {
    const me = await rpcAs<{ id: string; org_id: string }>('csm', 'get_my_profile');
    const customerId = await withDb(async (db) => (await db.query<{ id: string }>(
      `insert into app.customers (org_id, name, arr, health_score, assigned_to) values ($1, $2, 95000, 61, $3) returning id`,
      [me.data.org_id, `Focus Co ${randomUUID().slice(0, 6)}`, me.data.id])).rows[0]!.id);
    const { page, errors, context } = await openPage(browser, { width: 390, height: 844 });
    const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim() || document.activeElement?.tagName);
    try {
      await signIn(page, 'csm');
      await page.goto(`${webUrl()}/customers/${customerId}`);
      const form = page.getByRole('form', { name: 'Log activity' });
      await form.getByRole('button', { name: 'Log call' }).click();
      expect(await form.getByRole('alert').textContent()).toBe('Say in a few words what happened.');
      expect(await focused(), 'nothing said: the focus in the box').toBe('TEXTAREA');
      await form.getByLabel('What happened').fill('Walked the CFO through the quote');
      await form.getByRole('button', { name: 'Log call' }).click();
      await form.getByText('Call logged.').waitFor();
      await expect.poll(focused, { message: 'the focus once the call is logged' }).toBe('Log call');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, E2E_TIMEOUT);
});
