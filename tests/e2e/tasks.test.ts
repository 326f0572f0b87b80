// The task list: snooze, skip with a reason, and hand a task to a colleague.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { rpcAs } from './support/api.ts';
import { launch, openPage, screenshot, signIn } from './support/browser.ts';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

interface TaskPage { items: { id: string; title: string; status: string }[] }

describe('tasks', () => {
  it('can be snoozed, skipped with a reason and reassigned to a colleague, who gets them', async () => {
    const queue = await rpcAs<{ items: { customer: { id: string } }[] }>('csm', 'get_workflow_queue', { page_size: 1 });
    const customerId = queue.data.items[0]!.customer.id;
    const stamp = Date.now();
    const titles = { snooze: `Check usage dip ${stamp}`, skip: `Update the CRM ${stamp}`, reassign: `Pull the contract ${stamp}` };
    for (const title of Object.values(titles)) {
      const created = await rpcAs('csm', 'create_task', { title, customer_id: customerId, due_date: new Date(Date.now() + 3 * 86_400_000).toISOString() });
      expect(created.status).toBe(200);
    }

    const { page, errors, context } = await openPage(browser);
    await signIn(page, 'csm');
    await page.getByRole('link', { name: 'Tasks' }).click();
    const row = (title: string) => page.getByRole('listitem').filter({ hasText: title });
    await row(titles.snooze).waitFor();
    await screenshot(page, 'tasks');

    await row(titles.snooze).getByRole('button', { name: 'Snooze' }).click();
    await page.getByRole('dialog', { name: 'Snooze task' }).getByRole('button', { name: 'Snooze task' }).click();
    await row(titles.snooze).getByText('Snoozed').waitFor();

    await row(titles.skip).getByRole('button', { name: 'Skip' }).click();
    const skip = page.getByRole('dialog', { name: 'Skip task' });
    await skip.getByLabel('Reason').fill('Done in the CRM already');
    await skip.getByRole('button', { name: 'Skip task' }).click();
    await row(titles.skip).waitFor({ state: 'detached' });
    await page.getByRole('tab', { name: 'Skipped' }).click();
    await row(titles.skip).waitFor();
    await page.getByRole('tab', { name: 'To do' }).click();

    await row(titles.reassign).getByRole('button', { name: 'Reassign' }).click();
    const reassign = page.getByRole('dialog', { name: 'Reassign task' });
    await reassign.getByLabel('New owner').selectOption({ label: 'Casey Junior' });
    await reassign.getByLabel('Reason').fill('Casey owns the contract review this week');
    await reassign.getByRole('button', { name: 'Reassign task' }).click();
    await row(titles.reassign).waitFor({ state: 'detached' });

    const casey = await rpcAs<TaskPage>('juniorCsm', 'list_tasks', { page_size: 100 });
    expect(casey.data.items.map((task) => task.title)).toContain(titles.reassign);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
