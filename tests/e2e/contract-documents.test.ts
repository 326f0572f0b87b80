// A contract document in a real browser: a CSM uploads a sample contract on the customer
// page, has its terms read, sees each field beside its highlighted quote, confirms them, and
// the customer's renewal moves from the planned lane to "now" in the queue — the 90-day
// notice deadline has already passed although the renewal is 80 days away.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { addDays, pdfFromPages, SAMPLES, samplePages } from '../../local/samples/make-contracts.mjs';
import { withDb } from '../support/stack.ts';
import { rpcAs } from './support/api.ts';
import { seriousViolations } from './support/axe.ts';
import { launch, openPage, screenshot, screenshotDir, signIn, webUrl } from './support/browser.ts';

const E2E_TIMEOUT = 180_000;
let browser: Browser;

beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

interface QueueAnswer { items: { execution_id: string; lane: string; customer: { id: string; name: string } }[] }

describe('contract documents in the browser', () => {
  it('upload a contract on the customer page, confirm its terms, and the queue item moves lanes', async () => {
    const name = `Contoso Contracts ${Date.now().toString(36)}`;
    // A customer renewing in 80 days under a contract that does not auto-renew: a planned renewal.
    const { customerId, today } = await withDb(async (db) => {
      const { rows: [row] } = await db.query<{ id: string; org_id: string; today: string }>(
        `insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
         select p.org_id, $1, 60000, 70, app.organisation_today(p.org_id) + 80, p.id
           from app.profiles p where p.email = 'sam.csm@acme.test'
         returning id, org_id, app.organisation_today(org_id)::text as today`, [name]);
      await db.query(
        `insert into app.contracts (org_id, customer_id, status, start_date, end_date, auto_renew)
         values ($1, $2, 'active', $3::date - 650, $3::date + 79, false)`, [row!.org_id, row!.id, row!.today]);
      await db.query('select app.run_orchestrator_for_org($1)', [row!.org_id]);
      return { customerId: row!.id, today: row!.today };
    });
    const laneOf = async () => (await rpcAs<QueueAnswer>('csm', 'get_workflow_queue', { page_size: 10, filters: { search: name } }))
      .data.items.find((item) => item.customer.id === customerId)?.lane;
    expect(await laneOf()).toBe('planned');

    // The Globex sample (auto-renews, 90 days' notice), its term ending the day before the renewal.
    const sample = SAMPLES.find((s) => s.key === 'globex-saas')!;
    const pdf = pdfFromPages(samplePages(sample, { start: addDays(today, 80 - 730), end: addDays(today, 79) }));

    const { page, errors } = await openPage(browser);
    await signIn(page, 'csm');
    await page.goto(`${webUrl()}/customers/${customerId}`);
    await page.getByRole('heading', { level: 1, name }).waitFor();
    const documents = page.getByTestId('contract-documents');
    await documents.getByTestId('contract-upload').setInputFiles({ name: 'globex-saas.pdf', mimeType: 'application/pdf', buffer: pdf });
    await documents.getByTestId('contract-document').filter({ hasText: 'globex-saas.pdf' }).waitFor();
    await documents.getByRole('button', { name: 'Read terms' }).click();

    // The review: each field beside its quote, highlighted in the page.
    const review = page.getByTestId('contract-review');
    await review.waitFor({ timeout: 60_000 });
    const notice = review.locator('[data-field=notice_period_days]');
    await expect(notice.getByTestId('contract-field-value').textContent()).resolves.toBe('90');
    await expect(notice.locator('mark').textContent()).resolves.toContain('ninety (90) days');
    await screenshot(page, 'contract-review');
    expect(await seriousViolations(page)).toEqual([]); // the review meets WCAG 2.1 AA (axe, serious and critical)

    await review.getByRole('button', { name: /Confirm all \d+ proposed/ }).click();
    await review.getByRole('status').filter({ hasText: 'the contract is updated' }).waitFor();
    await notice.locator('.badge').filter({ hasText: 'confirmed' }).waitFor();
    // The confirmed review on its own (docs/images/contract-review.png is taken from it).
    await page.addStyleTag({ content: '.topbar { position: static !important; }' });
    await review.screenshot({ path: path.join(screenshotDir, 'contract-review-confirmed.png') });

    // The customer's renewal line now shows the passed notice deadline; the queue moved it.
    await page.locator('.customer-head .renewal-date').filter({ hasText: 'notice by' }).waitFor();
    expect(await laneOf()).toBe('now');
    await page.goto(`${webUrl()}/queue`);
    await page.getByRole('textbox', { name: 'Search the queue' }).or(page.getByRole('searchbox', { name: 'Search the queue' })).first().fill(name);
    const row = page.locator('[data-testid=queue-row]').filter({ hasText: name });
    await row.waitFor();
    await expect(row.locator('.badge').first().textContent()).resolves.toBe('Now');
    await screenshot(page, 'contract-queue-now');
    expect(errors).toEqual([]);
  }, E2E_TIMEOUT);

  it('on a phone the review of a contract fits the screen: the page never scrolls sideways', async () => {
    const name = `Phone Contracts ${Date.now().toString(36)}`;
    const customerId = await withDb(async (db) => (await db.query<{ id: string }>(
      `insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
       select p.org_id, $1, 60000, 70, app.organisation_today(p.org_id) + 80, p.id
         from app.profiles p where p.email = 'sam.csm@acme.test'
       returning id`, [name])).rows[0]!.id);
    const sample = SAMPLES.find((s) => s.key === 'northwind-msa')!;
    const pdf = pdfFromPages(samplePages(sample, { start: '2026-03-30', end: '2027-03-29' }));

    const { page, errors, context } = await openPage(browser, { width: 390, height: 844 });
    try {
      await signIn(page, 'csm');
      await page.goto(`${webUrl()}/customers/${customerId}`);
      await page.getByRole('heading', { level: 1, name }).waitFor();
      const documents = page.getByTestId('contract-documents');
      await documents.getByTestId('contract-upload').setInputFiles({ name: 'northwind-master-services-agreement.pdf', mimeType: 'application/pdf', buffer: pdf });
      await documents.getByRole('button', { name: 'Read terms' }).click();
      await page.getByTestId('contract-review').getByRole('button', { name: /Confirm all \d+ proposed/ }).waitFor({ timeout: 60_000 });
      await screenshot(page, 'contract-review-phone');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, 'the page scrolls sideways by this many pixels').toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, E2E_TIMEOUT);
});
