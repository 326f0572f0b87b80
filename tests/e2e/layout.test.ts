// The layout at the widths people use: a laptop (1440), a desktop (1920) and a phone
// (390). No page scrolls sideways, and from 1200 px up the customer context sits beside
// the workflow (measured with bounding boxes), below it on narrower screens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { rpcAs } from './support/api.ts';
import { launch, openPage, screenshot, signIn, webUrl } from './support/browser.ts';

const E2E_TIMEOUT = 120_000;
const WIDTHS = [1440, 1920, 390] as const;
const PAGES = ['/', '/tasks', '/outbox', '/preferences'] as const;

let browser: Browser;
let workflowPath: string;

beforeAll(async () => {
  browser = await launch();
  const queue = await rpcAs<{ items: { execution_id: string }[] }>('csm', 'get_workflow_queue', { page_size: 1 });
  workflowPath = `/workflows/${queue.data.items[0]!.execution_id}`;
});
afterAll(async () => { await browser?.close(); });

/** How far the page is wider than the window (0 when nothing overflows). */
function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

async function box(page: Page, selector: string) {
  const found = await page.locator(selector).first().boundingBox();
  if (!found) throw new Error(`${selector} is not on the page`);
  return found;
}

describe('layout at 1440, 1920 and 390 px', () => {
  for (const width of WIDTHS) {
    it(`never scrolls sideways and places the context ${width >= 1200 ? 'beside' : 'below'} the workflow at ${width} px`, async () => {
      const { page, errors, context } = await openPage(browser, { width, height: width > 500 ? 1000 : 844 });
      try {
        await signIn(page, 'csm');
        for (const path of PAGES) {
          await page.goto(`${webUrl()}${path}`);
          await page.locator('main h1').first().waitFor();
          expect(await horizontalOverflow(page), `${path} at ${width} px`).toBeLessThanOrEqual(0);
        }

        await page.goto(`${webUrl()}${workflowPath}`);
        const contextPanel = page.getByRole('complementary', { name: 'Customer context' });
        await contextPanel.locator('h2, h3').first().waitFor();
        await page.locator('.wf-main .panel').first().waitFor();
        expect(await horizontalOverflow(page), `workflow at ${width} px`).toBeLessThanOrEqual(0);
        const main = await box(page, '.wf-main');
        const side = await box(page, '.context-panel');
        if (width >= 1200) {
          // Beside: to the right of the workflow, starting level with it, above the fold.
          expect(side.x).toBeGreaterThanOrEqual(main.x + main.width);
          expect(Math.abs(side.y - main.y)).toBeLessThan(5);
          expect(side.y).toBeLessThan(400);
        } else {
          // Below, and as wide as the column: one word per line is not a layout.
          expect(side.y).toBeGreaterThanOrEqual(main.y + main.height - 1);
          expect(main.width).toBeGreaterThan(width * 0.8);
        }
        await screenshot(page, `layout-workflow-${width}`);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    }, E2E_TIMEOUT);
  }
});
