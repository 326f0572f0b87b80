// A button whose label holds a step's title stays inside its box on a phone: once a step is
// completed, "Go to the next step: Reach out to the customer" wraps within the notice at
// 390 px instead of running past its right edge (a .btn never wraps; .btn-wrap does).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, openPage, screenshot, signIn, webUrl } from './support/browser.ts';
import { startedWorkflow } from '../support/fresh-work.ts';

const E2E_TIMEOUT = 90_000;
let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

describe('a button named after a step', () => {
  it('wraps inside the notice at 390 px', async () => {
    const executionId = await startedWorkflow('Long Label Co');
    const { page, errors, context } = await openPage(browser, { width: 390, height: 844 });
    try {
      await signIn(page, 'csm');
      await page.goto(`${webUrl()}/workflows/${executionId}`);
      await page.getByRole('button', { name: 'Complete step' }).click();
      const next = page.getByRole('button', { name: /^Go to the next step: / });
      await next.waitFor();
      const [button, notice] = await Promise.all([next.boundingBox(), page.locator('.notice', { has: next }).boundingBox()]);
      await screenshot(page, 'next-step-button-390');
      expect(button!.x + button!.width, 'the button\'s right edge within the notice\'s').toBeLessThanOrEqual(notice!.x + notice!.width);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, E2E_TIMEOUT);

  // Beside a step's title that wraps to two lines on a phone, Complete step was squeezed by
  // the title until its label ran over its padding, flush against its border.
  it('keeps every button\'s label inside its padding at 390 px, beside a step\'s title too', async () => {
    const executionId = await startedWorkflow('Squeezed Label Co');
    const { page, errors, context } = await openPage(browser, { width: 390, height: 844 });
    try {
      await signIn(page, 'csm');
      await page.goto(`${webUrl()}/workflows/${executionId}`);
      await page.getByRole('button', { name: 'Complete step' }).waitFor();
      const squeezed = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('main .btn')]
        .filter((button) => button.getClientRects().length > 0 && button.scrollWidth > button.clientWidth)
        .map((button) => `${button.textContent?.trim()}: ${button.scrollWidth} px in ${button.clientWidth}`));
      expect(squeezed).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, E2E_TIMEOUT);
});
