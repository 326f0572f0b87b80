// A disclosure's summary (the forecast's "Month by month", a timeline entry's details, the
// queue's stats line on a phone) is a finger's height, 44 px, on a phone and a tablet: at
// 390 px "Month by month" was 41 px, its padding alone short of the tap height.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, openPage, signIn, webUrl } from './support/browser.ts';

const E2E_TIMEOUT = 120_000;
let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

/** Shown summaries shorter than a finger, with their height. */
function shortSummaries(page: Page): Promise<string[]> {
  return page.evaluate(() => [...document.querySelectorAll<HTMLElement>('main summary')]
    .filter((summary) => summary.getClientRects().length > 0 && summary.getBoundingClientRect().height < 44)
    .map((summary) => `${summary.textContent?.trim().slice(0, 30)}: ${Math.round(summary.getBoundingClientRect().height)} px`));
}

describe('disclosures on a touch screen', () => {
  for (const width of [390, 768]) {
    it(`at ${width} px every summary on the forecast and a customer is 44 px tall`, async () => {
      const { page, errors, context } = await openPage(browser, { width, height: width > 500 ? 1024 : 844 });
      try {
        await signIn(page, 'manager');
        await page.goto(`${webUrl()}/forecast`);
        await page.getByText('Month by month').waitFor();
        expect(await shortSummaries(page), `/forecast at ${width} px`).toEqual([]);
        await page.goto(`${webUrl()}/customers`);
        await page.locator('[data-testid=customer-row] a.row-link').first().click();
        await page.locator('[data-testid=customer-page]').waitFor();
        expect(await shortSummaries(page), `a customer at ${width} px`).toEqual([]);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    }, E2E_TIMEOUT);
  }
});
