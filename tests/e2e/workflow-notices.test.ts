// A success notice on the workflow page belongs to the action that caused it: the next
// action clears it (opening another action's form, completing the step) or replaces it,
// and it can be dismissed; an old "Task created" never sits beside later work.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { withDb } from '../support/stack.ts';
import { rpcAs } from './support/api.ts';
import { launch, openPage, signIn, webUrl } from './support/browser.ts';

const E2E_TIMEOUT = 120_000;
let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

async function createTask(page: Page, title: string): Promise<void> {
  await page.getByRole('group', { name: 'Actions' }).getByRole('button', { name: 'Create Follow-up Task' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create Follow-up Task' });
  await dialog.getByLabel('Title').fill(title);
  await dialog.getByRole('button', { name: 'Create Follow-up Task' }).click();
  await dialog.getByTestId('action-result').waitFor();
  await dialog.getByRole('button', { name: 'Done' }).click();
}

describe('notices on the workflow page', () => {
  it('are cleared or replaced by the next action, and can be dismissed', async () => {
    // A fresh customer of Sam's with a started workflow, so reruns never collide.
    const me = await rpcAs<{ id: string; org_id: string }>('csm', 'get_my_profile');
    const customerId = await withDb(async (db) => (await db.query<{ id: string }>(
      `insert into app.customers (org_id, name, arr, health_score, assigned_to) values ($1, $2, 95000, 61, $3) returning id`,
      [me.data.org_id, `Notice Co ${randomUUID().slice(0, 6)}`, me.data.id])).rows[0]!.id);
    const opened = await rpcAs<{ id: string }>('csm', 'create_workflow_execution', { customer_id: customerId, workflow_key: 'risk-intervention' });
    expect(opened.status).toBe(200);
    expect((await rpcAs('csm', 'start_workflow', { execution_id: opened.data.id })).status).toBe(200);

    const { page, errors, context } = await openPage(browser);
    try {
      await signIn(page, 'csm');
      await page.goto(`${webUrl()}/workflows/${opened.data.id}`);
      const notices = page.locator('.workflow .notice-dismissable');

      await createTask(page, 'Call the sponsor');
      await notices.filter({ hasText: /task/i }).waitFor();
      expect(await notices.count()).toBe(1);

      // Opening another action's form is the next action: the old notice goes.
      await page.getByRole('group', { name: 'Actions' }).getByRole('button', { name: 'Snooze Workflow' }).click();
      const snooze = page.getByRole('dialog', { name: 'Snooze Workflow' });
      await snooze.waitFor();
      await page.keyboard.press('Escape');
      await snooze.waitFor({ state: 'detached' });
      expect(await notices.count(), 'opening another action clears the notice').toBe(0);

      // Dismissed by hand.
      await createTask(page, 'Send the deck');
      await notices.first().waitFor();
      await notices.getByRole('button', { name: 'Dismiss this notice' }).click();
      expect(await notices.count(), 'dismissed').toBe(0);

      // Completing the step is a later action too.
      await createTask(page, 'Book the review');
      await notices.first().waitFor();
      await page.getByRole('button', { name: 'Complete step' }).click();
      await notices.first().waitFor({ state: 'detached' });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, E2E_TIMEOUT);

  it('after Complete step the focus is on Go to the next step, and after that on the next step\'s title, never on the page', async () => {
    const me = await rpcAs<{ id: string; org_id: string }>('csm', 'get_my_profile');
    const customerId = await withDb(async (db) => (await db.query<{ id: string }>(
      `insert into app.customers (org_id, name, arr, health_score, assigned_to) values ($1, $2, 95000, 61, $3) returning id`,
      [me.data.org_id, `Step Co ${randomUUID().slice(0, 6)}`, me.data.id])).rows[0]!.id);
    const opened = await rpcAs<{ id: string }>('csm', 'create_workflow_execution', { customer_id: customerId, workflow_key: 'risk-intervention' });
    expect(opened.status).toBe(200);
    expect((await rpcAs('csm', 'start_workflow', { execution_id: opened.data.id })).status).toBe(200);

    const { page, errors, context } = await openPage(browser);
    const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    try {
      await signIn(page, 'csm');
      await page.goto(`${webUrl()}/workflows/${opened.data.id}`);
      const first = await page.locator('#step-title').textContent();
      await page.getByRole('button', { name: 'Complete step' }).click();
      const onward = page.getByRole('button', { name: /^Go to the next step: / });
      await onward.waitFor();
      await expect.poll(focused, { message: 'the focus after Complete step' }).toMatch(/^Go to the next step: /);
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('#step-title').textContent()).not.toBe(first);
      await expect.poll(() => page.evaluate(() => document.activeElement?.id), { message: 'the focus after Go to the next step' }).toBe('step-title');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, E2E_TIMEOUT);

  it('completing a workflow with every step left asks why beside its box, then offers the next item of the queue', async () => {
    const me = await rpcAs<{ id: string; org_id: string }>('csm', 'get_my_profile');
    const customerId = await withDb(async (db) => (await db.query<{ id: string }>(
      `insert into app.customers (org_id, name, arr, health_score, assigned_to) values ($1, $2, 95000, 61, $3) returning id`,
      [me.data.org_id, `Done Co ${randomUUID().slice(0, 6)}`, me.data.id])).rows[0]!.id);
    const opened = await rpcAs<{ id: string }>('csm', 'create_workflow_execution', { customer_id: customerId, workflow_key: 'risk-intervention' });
    expect(opened.status).toBe(200);
    expect((await rpcAs('csm', 'start_workflow', { execution_id: opened.data.id })).status).toBe(200);

    const { page, errors, context } = await openPage(browser);
    try {
      await signIn(page, 'csm');
      await page.goto(`${webUrl()}/workflows/${opened.data.id}`);
      await page.getByRole('button', { name: 'Complete workflow' }).click();
      const dialog = page.getByRole('dialog', { name: 'Complete with steps left?' });
      await dialog.getByRole('button', { name: /^Skip \d+ and complete$/ }).click();
      expect(await dialog.getByRole('alert').textContent()).toBe('Say why the remaining steps are not needed.');
      const reason = dialog.getByLabel('Why the remaining steps are not needed');
      expect(await reason.evaluate((node) => node === document.activeElement)).toBe(true);
      await reason.fill('The customer signed early');
      await dialog.getByRole('button', { name: /^Skip \d+ and complete$/ }).click();
      await page.getByRole('region', { name: 'Next item' }).waitFor();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, E2E_TIMEOUT);
});
