// A button disabled while its call runs (Log call on a customer page) has the focus back once
// the call is done, in a real browser, which moves the focus to the page the moment a focused
// control is disabled (web/src/lib/keepFocus.ts). An action's dialog closed once its action took
// away the button that opened it (Escalate to Manager, gone while the workflow waits) leaves the
// focus on the notice that says what happened, not on the page; so does a bulk action on the
// queue, whose bar goes with the selection it acted on, and a proposal of the assistant decided
// (its card goes with its buttons).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { rpcAs } from './support/api.ts';
import { launch, openPage, signIn, webUrl } from './support/browser.ts';
import { freshCustomer, freshCustomerNamed, startedWorkflow } from '../support/fresh-work.ts';

const E2E_TIMEOUT = 120_000;
let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

describe('the focus after an action', () => {
  it('is back on Log call once the call is logged, and in the box when nothing was said', async () => {
    const customerId = await freshCustomer('Focus Co');
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

  it('is on the notice after an escalation\'s dialog is closed, its button gone with the escalation', async () => {
    const executionId = await startedWorkflow('Escalate Co');
    const { page, errors, context } = await openPage(browser, { width: 390, height: 844 });
    try {
      await signIn(page, 'csm');
      await page.goto(`${webUrl()}/workflows/${executionId}`);
      await page.getByRole('group', { name: 'Actions' }).getByRole('button', { name: 'Escalate to Manager' }).click();
      const dialog = page.getByRole('dialog', { name: 'Escalate to Manager' });
      await dialog.getByLabel(/Reason/).fill('A discount beyond my authority');
      await dialog.getByRole('button', { name: 'Escalate to Manager' }).click();
      await dialog.getByRole('button', { name: 'Done' }).click();
      await dialog.waitFor({ state: 'detached' });
      await expect.poll(() => page.evaluate(() => document.activeElement?.closest('.notice')?.textContent ?? document.activeElement?.tagName),
        { message: 'the focus once the dialog is closed' }).toMatch(/^Escalated/);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, E2E_TIMEOUT);

  it('is on the notice after a bulk snooze, the bar gone with the rows it snoozed', async () => {
    const { id: customerId, name } = await freshCustomerNamed('Bulk Co');
    expect((await rpcAs('csm', 'create_workflow_execution', { customer_id: customerId, workflow_key: 'risk-intervention' })).status).toBe(200);
    const { page, errors, context } = await openPage(browser, { width: 390, height: 844 });
    try {
      await signIn(page, 'csm');
      await page.getByPlaceholder('Search name or domain').fill(name);
      // the search applies once typing pauses, and a new list clears the ticks: tick once it is in
      await expect.poll(() => page.getByTestId('queue-row').count(), { message: 'the queue narrowed to the customer' }).toBe(1);
      const row = page.getByTestId('queue-row').filter({ hasText: name });
      await row.getByRole('checkbox').check();
      const bar = page.getByRole('region', { name: 'Bulk actions' });
      await bar.getByRole('button', { name: 'Snooze…' }).click();
      await bar.getByLabel('Reason').fill('Waiting for the budget');
      await bar.getByRole('button', { name: 'Snooze 1' }).click();
      await bar.waitFor({ state: 'detached' });
      await expect.poll(() => page.evaluate(() => document.activeElement?.closest('.notice')?.textContent ?? document.activeElement?.tagName),
        { message: 'the focus once the rows are snoozed' }).toMatch(/^1 item snoozed/);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, E2E_TIMEOUT);

  it('is on the notice after a proposal is rejected, its card gone with its buttons', async () => {
    const executionId = await startedWorkflow('Proposal Co');
    const { page, errors, context } = await openPage(browser, { width: 390, height: 844 });
    try {
      await signIn(page, 'csm');
      await page.goto(`${webUrl()}/workflows/${executionId}`);
      await page.locator('.branch-llm, .branch-rag').first().click();
      const box = page.getByLabel('Message the assistant');
      await box.fill('Please snooze this for a week');
      await box.press('Enter');
      const card = page.getByRole('article', { name: /^Proposal/ });
      await card.getByRole('button', { name: 'Reject' }).click({ timeout: 30_000 });
      await card.waitFor({ state: 'detached' });
      await expect.poll(() => page.evaluate(() => document.activeElement?.closest('.notice')?.textContent ?? document.activeElement?.tagName),
        { message: 'the focus once the proposal is rejected' }).toMatch(/^Rejected: .+\. Nothing was run\./);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, E2E_TIMEOUT);
});
