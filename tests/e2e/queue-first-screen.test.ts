// A CSM opening Renubu on a phone or a tablet sees their first piece of work on the first
// screen. Before, at 390 px the first queue row was 1 059 px down (the stats as five tiles, four
// filters and two options above it, the brief folded) and at 768 px 1 240 px (the brief open):
// on a phone the stats are now one line that opens on the rest, the filters and options wait
// behind a Filters button that counts what is on, and the brief starts folded up to 1 000 px.
// A laptop keeps the tiles, the filters in the toolbar and the brief open.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, openPage, screenshot, signIn, webUrl } from './support/browser.ts';

const E2E_TIMEOUT = 120_000;
let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

/** The first queue row's top and bottom, and its customer's name's foot, in px from the page's top. */
async function firstRow(page: Page): Promise<{ top: number; bottom: number; customer: number }> {
  const row = page.locator('[data-testid=queue-row]').first();
  await row.waitFor();
  // The stats arrive with the rows; the brief a moment later: wait for it to be drawn too.
  await page.getByRole('region', { name: /Your brief for/ }).getByRole('button', { name: /the brief/ }).waitFor();
  return row.evaluate((node) => {
    const box = node.getBoundingClientRect();
    const customer = node.querySelector('.customer-link')!.getBoundingClientRect();
    return { top: Math.round(box.top + window.scrollY), bottom: Math.round(box.bottom + window.scrollY), customer: Math.round(customer.bottom + window.scrollY) };
  });
}

describe('the queue\'s first row on the first screen', () => {
  it('on a phone (390 × 844) the first row is on the first screen; the stats are a line and the filters wait behind a Filters button that counts them', async () => {
    const { page, errors, context } = await openPage(browser, { width: 390, height: 844 });
    try {
      await signIn(page, 'csm');
      const row = await firstRow(page);
      await screenshot(page, 'phone-queue-first-screen');
      // A row is a card of 330 px on a phone: its top and its customer's name are on the first screen.
      expect(row.top, 'px from the page\'s top to the first row').toBeLessThanOrEqual(620);
      expect(row.customer, 'px from the page\'s top to the foot of the first row\'s customer (the screen is 844)').toBeLessThanOrEqual(844);

      // The stats: one line, a tap opens the rest.
      const summary = page.getByRole('region', { name: 'Queue summary' }).locator('summary');
      expect(Math.round((await summary.boundingBox())!.height), 'px of the stats line').toBeLessThanOrEqual(48);
      await summary.click();
      await page.getByRole('region', { name: 'Queue summary' }).getByText(/^Average priority/).waitFor();

      // The filters: behind a button that says whether it is open and how many are on.
      const toggle = page.getByRole('button', { name: /^Filters/ });
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      expect(await page.getByRole('combobox', { name: 'Lane' }).isVisible()).toBe(false);
      expect(await page.getByLabel('Group by customer').isVisible(), 'the list options wait with the filters').toBe(false);
      await toggle.click();
      expect(await toggle.getAttribute('aria-expanded')).toBe('true');
      await page.getByRole('combobox', { name: 'Lane' }).selectOption('now');
      await page.getByLabel('Show snoozed').check();
      await expect.poll(() => toggle.textContent()).toBe('Filters (2 on)');
      // "(2)" reads as one piece: no gap before its ")" (the button's flex gap put one there).
      const beforeClose = await toggle.evaluate((button) => {
        const walker = document.createTreeWalker(button, NodeFilter.SHOW_TEXT);
        const boxes: DOMRect[] = [];
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          if (node.parentElement?.closest('.visually-hidden') || !node.textContent?.trim()) continue;
          const range = document.createRange();
          range.selectNodeContents(node);
          boxes.push(...range.getClientRects());
        }
        return Math.round(boxes.at(-1)!.left - boxes.at(-2)!.right);
      });
      expect(beforeClose, 'px between the count and its ")"').toBeLessThanOrEqual(1);
      // Tab goes from the button into what it opened.
      await toggle.focus();
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.closest('label')?.textContent)).toMatch(/^Lane/);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, E2E_TIMEOUT);

  it('on a tablet (768 × 1024) the brief starts folded and the first row is on the first screen; the choice to open it is kept', async () => {
    const { page, errors, context } = await openPage(browser, { width: 768, height: 1024 });
    try {
      await signIn(page, 'csm');
      const row = await firstRow(page);
      await screenshot(page, 'tablet-queue-first-screen');
      // The four numbers share a row on a tablet (two rows of two took 90 px more).
      const tops = await page.locator('.stats .stat:not(.stat-wide)').evaluateAll((tiles) => tiles.map((tile) => Math.round(tile.getBoundingClientRect().top)));
      expect(new Set(tops).size, `rows of stat tiles (tops ${tops.join(', ')})`).toBe(1);
      const show = page.getByRole('region', { name: /Your brief for/ }).getByRole('button', { name: /^Show the brief/ });
      expect(await show.getAttribute('aria-expanded')).toBe('false');
      expect(row.bottom, 'px from the page\'s top to the first row\'s foot (the screen is 1 024)').toBeLessThanOrEqual(1024);
      // The filters stand in the toolbar on a tablet.
      expect(await page.getByRole('combobox', { name: 'Lane' }).isVisible()).toBe(true);
      await show.click();
      await page.reload();
      await page.getByRole('region', { name: /Your brief for/ }).getByRole('button', { name: 'Hide the brief' }).waitFor();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, E2E_TIMEOUT);

  it('a laptop (1280 px) keeps the stats as tiles, the filters in the toolbar and the brief open', async () => {
    const { page, errors, context } = await openPage(browser, { width: 1280, height: 900 });
    try {
      await signIn(page, 'csm');
      await firstRow(page);
      expect(await page.getByRole('region', { name: /Your brief for/ }).getByRole('button', { name: 'Hide the brief' }).getAttribute('aria-expanded')).toBe('true');
      expect(await page.locator('.stats .stat').count()).toBeGreaterThanOrEqual(4);
      expect(await page.getByRole('button', { name: /^Filters/ }).count()).toBe(0);
      expect(await page.getByRole('combobox', { name: 'Lane' }).isVisible()).toBe(true);
      expect(await page.getByLabel('Group by customer').isVisible()).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, E2E_TIMEOUT);
});
