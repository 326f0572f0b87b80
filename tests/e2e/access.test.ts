// Who may see and do what, as the browser shows it and as the API enforces it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { rpcAs } from './support/api.ts';
import { launch, openPage, screenshot, signIn, webUrl } from './support/browser.ts';

interface QueueAnswer { items: { execution_id: string; customer: { name: string } }[] }

let browser: Browser;
let acmeExecutionId: string;
let acmeCustomer: string;

beforeAll(async () => {
  browser = await launch();
  const queue = await rpcAs<QueueAnswer>('csm', 'get_workflow_queue', { page_size: 50 });
  const item = queue.data.items.at(-1)!;
  acmeExecutionId = item.execution_id;
  acmeCustomer = item.customer.name;
});
afterAll(async () => { await browser?.close(); });

describe('a viewer', () => {
  it('reads a workflow but has no buttons to act, and the API refuses if they try', async () => {
    const { page, errors, context } = await openPage(browser);
    await signIn(page, 'viewer');
    await page.goto(`${webUrl()}/workflows/${acmeExecutionId}`);
    await page.getByRole('heading', { level: 1, name: new RegExp(acmeCustomer) }).waitFor();
    await page.getByRole('complementary', { name: 'Customer context' }).getByText('ARR').first().waitFor();
    expect(await page.getByRole('button', { name: 'Start workflow' }).count()).toBe(0);
    expect(await page.getByRole('group', { name: 'Actions' }).count()).toBe(0);
    expect(await page.getByLabel('Message the assistant').count()).toBe(0);
    await screenshot(page, 'viewer-workflow');

    const refused = await rpcAs<{ code: string }>('viewer', 'start_workflow', { execution_id: acmeExecutionId });
    expect(refused.status).toBe(403);
    expect(refused.data.code).toBe('42501');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});

describe('a person of another organisation', () => {
  it('sees none of Acme’s work, in the queue or by address', async () => {
    const { page, context } = await openPage(browser);
    await signIn(page, 'otherCsm');
    await page.getByRole('heading', { name: 'Your queue' }).waitFor();
    await page.locator('.state, [data-testid=queue-row]').first().waitFor();
    expect(await page.getByText(acmeCustomer).count()).toBe(0);

    await page.goto(`${webUrl()}/workflows/${acmeExecutionId}`);
    await page.getByRole('alert').getByText('This workflow could not be opened').waitFor();
    expect(await page.getByText(acmeCustomer).count()).toBe(0);
    await screenshot(page, 'other-organisation');

    const hidden = await rpcAs<{ code: string }>('otherCsm', 'get_workflow_execution', { execution_id: acmeExecutionId });
    expect(hidden.status).toBe(404);
    expect(hidden.data.code).toBe('PT404');
    await context.close();
  }, 120_000);
});

describe('the workspace on a narrow window', () => {
  it('keeps the queue usable at phone width', async () => {
    const { page, errors, context } = await openPage(browser, { width: 390, height: 844 });
    await signIn(page, 'csm');
    await page.locator('[data-testid=queue-row]').first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'no sideways scrolling of the page').toBeLessThanOrEqual(1);
    await screenshot(page, 'narrow-queue');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
