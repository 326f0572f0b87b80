// The queue's bulk actions stay in view while rows are ticked: a manager who ticks a row far
// down Sam's queue sees "N selected" with Start, Snooze… and Reassign… at the top of the
// window, under the top bar where it stays put (laptop, tablet) or at the very top (phone,
// whose bar scrolls away). Before, the bar sat above the table only, a screen or more above
// the row just ticked, with nothing in view saying what the ticks were for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, openPage, screenshot, signIn, webUrl } from './support/browser.ts';

const E2E_TIMEOUT = 120_000;

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

/** Where the bulk-action bar is against the window and the top bar, once the page is scrolled to a row far down. */
function barPlace(page: Page) {
  return page.evaluate(() => {
    const bar = document.querySelector<HTMLElement>('[role="region"][aria-label="Bulk actions"]')!.getBoundingClientRect();
    const topbar = document.querySelector<HTMLElement>('.topbar')!.getBoundingClientRect();
    return { top: bar.top, bottom: bar.bottom, topbarBottom: Math.max(0, topbar.bottom), height: window.innerHeight };
  });
}

describe('the queue\'s bulk actions', () => {
  for (const size of [{ width: 390, height: 844 }, { width: 820, height: 1000 }, { width: 1440, height: 900 }]) {
    it(`stay in view at ${size.width} px when a row far down is ticked`, async () => {
      const { page, context, errors } = await openPage(browser, size);
      try {
        await signIn(page, 'manager');
        await page.goto(`${webUrl()}/queue`);
        await page.getByLabel('Queue of').selectOption({ label: 'Sam Senior' });
        const ticks = page.locator('tbody tr input[type="checkbox"]');
        await ticks.nth(20).waitFor();
        await ticks.nth(0).check();
        await ticks.nth(20).scrollIntoViewIfNeeded();
        await ticks.nth(20).check();
        await page.getByText('2 selected').waitFor();
        const place = await barPlace(page);
        await screenshot(page, `bulk-actions-in-view-${size.width}`);
        expect(place.top, 'the bar starts under the top bar').toBeGreaterThanOrEqual(place.topbarBottom - 1);
        expect(place.bottom, 'the bar ends inside the window').toBeLessThanOrEqual(place.height);
        expect(await page.getByRole('button', { name: 'Snooze…' }).isVisible()).toBe(true);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    }, E2E_TIMEOUT);
  }
});
