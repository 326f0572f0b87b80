// The forecast's retention figures (GRR, NRR, starting ARR, expansion, contraction, churn) sit
// in even rows at the widths people use: six abreast on a laptop, three on a tablet, two on a
// phone, never five and one left alone (the queue's stat grid, four narrow columns and a wide
// one, used to win over the panel's own). Contraction and churn are a tile each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, openPage, screenshot, signIn, webUrl } from './support/browser.ts';

const E2E_TIMEOUT = 90_000;
let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

describe('the retention tiles', () => {
  for (const [width, perRow] of [[1440, 6], [820, 3], [390, 2]] as const) {
    it(`are ${perRow} to a row at ${width} px`, async () => {
      const { page, errors, context } = await openPage(browser, { width, height: 900 });
      try {
        await signIn(page, 'manager');
        await page.goto(`${webUrl()}/forecast`);
        const tiles = page.locator('.retention-stats > .stat');
        await page.getByTestId('churn').waitFor();
        const tops = await tiles.evaluateAll((all) => all.map((tile) => Math.round(tile.getBoundingClientRect().top)));
        const rows = [...new Set(tops)].map((top) => tops.filter((each) => each === top).length);
        await screenshot(page, `retention-tiles-${width}`);
        expect(tops).toHaveLength(6);
        expect(rows, 'tiles per row').toEqual(Array(6 / perRow).fill(perRow));
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    }, E2E_TIMEOUT);
  }
});
