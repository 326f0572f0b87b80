// What a person types reads as text, not as a label: a form's box draws its value at the
// body's weight. The boxes took `font: inherit` from their `.field` label (weight 550), so a
// call's notes, a task's title and a whole email in the draft editor were set semi-bold,
// as heavy as the labels above them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, openPage, screenshot, signIn, webUrl } from './support/browser.ts';
import { rpcAs } from './support/api.ts';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

describe('typed text', () => {
  it('is drawn at the body text\'s weight, lighter than its label', async () => {
    const { page, errors } = await openPage(browser);
    const customers = await rpcAs<{ items: { id: string }[] }>('csm', 'list_customers', { page_size: 1 });
    await signIn(page, 'csm');
    await page.goto(`${webUrl()}/customers/${customers.data.items[0]!.id}`);
    const notes = page.getByLabel('What happened');
    await notes.fill('Walked the CFO through the renewal quote');
    await page.getByRole('button', { name: 'New task' }).click();
    await page.getByRole('form', { name: 'New task' }).getByLabel('Title').fill('Send the 2-year option');
    await screenshot(page, 'typed-text-weight');
    const weight = (selector: string) => page.locator(selector).first().evaluate((node) => getComputedStyle(node).fontWeight);
    const body = await weight('body');
    expect(await notes.evaluate((node) => getComputedStyle(node).fontWeight), 'a call\'s notes').toBe(body);
    expect(await weight('form[aria-label="New task"] input'), 'a task\'s title').toBe(body);
    expect(await weight('form[aria-label="Log activity"] .field'), 'its label stays heavier').not.toBe(body);
    expect(errors).toEqual([]);
  }, 60_000);
});
