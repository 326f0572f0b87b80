// A workflow's heading on a phone: the workflow's name is never broken across lines when it
// fits on one ("Contoso Retail · Emergency" then "Stage" at 390 px); it goes under the
// customer's name whole, the '·' staying with the customer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, openPage, signIn, webUrl } from './support/browser.ts';

const E2E_TIMEOUT = 120_000;
let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

describe('a workflow\'s heading', () => {
  it('keeps the workflow\'s name on one line at 390, 768 and 1280 px, no line starting with its separator', async () => {
    const { page, errors, context } = await openPage(browser, { width: 390, height: 844 });
    try {
      await signIn(page, 'csm');
      await page.goto(`${webUrl()}/queue`);
      await page.locator('[data-testid=queue-row] a.row-link').first().click();
      const name = page.locator('main h1 .wf-name:last-child');
      await name.waitFor();
      for (const width of [390, 768, 1280]) {
        await page.setViewportSize({ width, height: 900 });
        const lines = await name.evaluate((node) => {
          const range = document.createRange();
          range.selectNodeContents(node);
          return new Set([...range.getClientRects()].filter((box) => box.width > 0).map((box) => Math.round(box.top))).size;
        });
        expect(lines, `lines of the workflow's name at ${width} px`).toBe(1);
        expect((await name.textContent())?.trim().startsWith('·'), 'the name starts with the separator').toBe(false);
      }
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, E2E_TIMEOUT);
});
