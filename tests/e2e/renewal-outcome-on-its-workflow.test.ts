// A CSM records how a renewal ended on the renewal's own workflow page, where they worked it
// step by step up to "Record the outcome" (docs/web-app.md, docs/forecast-and-retention.md).
// Only the Forecast page offered it before: a CSM who completed the workflow left the renewal
// open, the customer still "renews in 50 days" at its old ARR.
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

describe('a renewal workflow page', () => {
  it('offers Record outcome, and Complete workflow offers it first: recorded there, the ARR is set, the renewal moves a year on and the workflow is completed', async () => {
    // A fresh customer of Sam's with a renewal workflow of its own, so reruns never collide.
    const me = await rpcAs<{ id: string; org_id: string }>('csm', 'get_my_profile');
    const customer = await withDb(async (db) => (await db.query<{ id: string; renewal_date: string }>(
      `insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
       values ($1, $2, 95000, 72, app.organisation_today($1) + 50, $3) returning id, renewal_date::text`,
      [me.data.org_id, `Outcome Co ${randomUUID().slice(0, 6)}`, me.data.id])).rows[0]!);
    const opened = await rpcAs<{ id: string }>('csm', 'create_workflow_execution', { customer_id: customer.id, workflow_key: 'negotiate' });
    expect(opened.status).toBe(200);
    expect((await rpcAs('csm', 'start_workflow', { execution_id: opened.data.id })).status).toBe(200);

    const { page, errors, context } = await openPage(browser);
    try {
      await signIn(page, 'csm');
      await page.goto(`${webUrl()}/workflows/${opened.data.id}`);
      await page.getByRole('button', { name: 'Record outcome' }).waitFor();
      // Complete workflow on a renewal says first what it leaves undone, and offers the outcome instead.
      await page.getByRole('button', { name: 'Complete workflow' }).click();
      const complete = page.getByRole('dialog', { name: 'Complete with steps left?' });
      await complete.getByText(/does not record how the renewal ended/).waitFor();
      await complete.getByRole('button', { name: 'Record outcome' }).click();
      const dialog = page.getByRole('dialog', { name: /Outcome of/ });
      await dialog.getByRole('spinbutton', { name: /New ARR/ }).fill('101000');
      await dialog.getByRole('button', { name: /^Record / }).click();
      await expect.poll(() => page.locator('.workflow').innerText(), { timeout: 15_000 })
        .toMatch(/renewed at \$101,000\. The renewal is closed and this workflow completed\./);
      // Closed, it is offered no more.
      await expect.poll(() => page.getByRole('button', { name: 'Record outcome' }).count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }

    const after = await withDb(async (db) => (await db.query<{ outcome: string; arr: string; moved: boolean; status: string }>(
      `select o.outcome, c.arr::text, c.renewal_date = ($2::date + interval '1 year')::date as moved, x.status
         from app.renewal_outcomes o join app.customers c on c.id = o.customer_id
         join app.workflow_executions x on x.id = $3
        where o.customer_id = $1`, [customer.id, customer.renewal_date, opened.data.id])).rows);
    expect(after).toEqual([{ outcome: 'renewed', arr: '101000.00', moved: true, status: 'completed' }]);
  }, E2E_TIMEOUT);
});
