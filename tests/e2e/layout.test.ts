// The layout at the widths people use: a laptop (1440), a desktop (1920) and a phone
// (390). No page scrolls sideways — every page a CSM opens (queue, workflow, customers, a
// customer, tasks, sent mail, preferences), a viewer's home, a manager's pages (team,
// forecast) and an admin's (people, workflows, a workflow's editor, actions, settings,
// integrations, audit) — and from
// 1200 px up the customer context sits beside the workflow (measured with bounding boxes),
// below it on narrower screens. At a small phone (375) and a tablet (768) the sign-in page
// and the forecast's Record-outcome dialog fit the window too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { rpcAs } from './support/api.ts';
import { launch, openPage, screenshot, signIn, webUrl } from './support/browser.ts';

const E2E_TIMEOUT = 120_000;
const WIDTHS = [1440, 1920, 390] as const;
const NARROW_WIDTHS = [375, 768] as const;
// Each page with what shows it is fully rendered (so late content is measured too).
const PAGES: [string, string][] = [
  ['/', '[data-testid=queue-row], .state-empty'],
  ['/queue', '[data-testid=queue-row], .state-empty'],
  ['/customers', '[data-testid=customer-row]'],
  ['/tasks', '.task-list, .state-empty'],
  ['/outbox', 'main h1'],
  ['/preferences', 'main h1'],
];
const VIEWER_PAGES: [string, string][] = [['/', '[data-testid=customer-row]'], ['/customers', '[data-testid=customer-row]']];
const MANAGER_PAGES: [string, string][] = [
  ['/', 'main h1'], ['/team', 'main h1'], ['/forecast', 'main h1'],
  ['/tasks', '.task-list, .state-empty'], ['/customers', '[data-testid=customer-row]'],
];
const ADMIN_PAGES: [string, string][] = [
  ['/admin/people', 'main h1'], ['/admin/workflows', 'main h1'], ['/admin/workflows/critical', 'main h1'],
  // a definition whose prompts hold long {{placeholders}} and whose choices are sentences (the editor's preview wraps them)
  ['/admin/workflows/overdue', 'main h1'],
  ['/admin/actions', 'main h1'], ['/admin/settings', 'main h1'], ['/admin/integrations', 'main h1'], ['/admin/audit', 'main h1'],
];

let browser: Browser;
let workflowPath: string;
let customerPath: string;

beforeAll(async () => {
  browser = await launch();
  const queue = await rpcAs<{ items: { execution_id: string }[] }>('csm', 'get_workflow_queue', { page_size: 1 });
  workflowPath = `/workflows/${queue.data.items[0]!.execution_id}`;
  const top = await rpcAs<{ items: { customer: { id: string } }[] }>('csm', 'get_workflow_queue', { page_size: 1 });
  customerPath = `/customers/${top.data.items[0]!.customer.id}`;
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
    it(`places the context ${width >= 1200 ? 'beside' : 'below'} the workflow at ${width} px, without scrolling sideways`, async () => {
      const { page, errors, context } = await openPage(browser, { width, height: width > 500 ? 1000 : 844 });
      try {
        await signIn(page, 'csm');
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

  // Each page is loaded once and measured at every width (the window is resized), which
  // costs a third of loading it three times.
  for (const [person, pages] of [['csm', PAGES], ['viewer', VIEWER_PAGES], ['manager', MANAGER_PAGES], ['admin', ADMIN_PAGES]] as const) {
    it(`no page a ${person} opens scrolls sideways at 1440, 1920 or 390 px`, async () => {
      const { page, errors, context } = await openPage(browser, { width: 1440, height: 1000 });
      try {
        await signIn(page, person);
        const all: [string, string][] = person === 'csm' ? [...pages, [customerPath, '[data-testid=customer-workflow]']] : [...pages];
        for (const [path, ready] of all) {
          await page.setViewportSize({ width: 1440, height: 1000 });
          await page.goto(`${webUrl()}${path}`);
          await page.locator('main h1').first().waitFor();
          await page.locator(ready).first().waitFor();
          if (path === customerPath) {
            await page.getByRole('complementary', { name: 'Customer context' }).getByText('Stakeholders').waitFor();
            await page.getByRole('region', { name: 'Activity' }).locator('[data-testid=timeline-entry], p.muted').first().waitFor();
          }
          for (const width of WIDTHS) {
            await page.setViewportSize({ width, height: width > 500 ? 1000 : 844 });
            await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
            expect(await horizontalOverflow(page), `${person} ${path} at ${width} px`).toBeLessThanOrEqual(0);
            if (path === customerPath) await screenshot(page, `layout-customer-${width}`);
            // The README's pictures of the manager's pages.
            if (width === 1440 && (path === '/forecast' || path === '/team')) await screenshot(page, `manager${path.replace('/', '-')}`);
          }
        }
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    }, E2E_TIMEOUT);
  }

  // Who is signed in is on screen at a phone's, a tablet's and a laptop's width: before, the
  // header hid the name below 900 px and kept the address in a hover tooltip only.
  for (const person of ['csm', 'admin'] as const) {
    it(`the header shows the ${person}'s name, address and role at 390, 768 and 1280 px, inside the window`, async () => {
      const { page, errors, context } = await openPage(browser, { width: 1280, height: 900 });
      try {
        await signIn(page, person);
        const me = await rpcAs<{ full_name: string; email: string }>(person, 'get_my_profile');
        const banner = page.getByRole('banner');
        for (const width of [390, 768, 1280]) {
          await page.setViewportSize({ width, height: width > 500 ? 1000 : 844 });
          await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
          for (const text of [me.data.full_name, me.data.email, person === 'csm' ? 'CSM' : 'Admin']) {
            const shown = banner.getByText(text).first();
            expect(await shown.isVisible(), `${text} at ${width} px`).toBe(true);
            const where = (await shown.boundingBox())!;
            expect(where.x >= 0 && where.x + where.width <= width + 0.5, `${text} at ${width} px: ${Math.round(where.x)}–${Math.round(where.x + where.width)}`).toBe(true);
          }
          expect(await horizontalOverflow(page), `header at ${width} px`).toBeLessThanOrEqual(0);
          if (width === 390) await screenshot(page, `layout-header-${person}-390`);
        }
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    }, E2E_TIMEOUT);
  }

  it('the sign-in page fits 375 and 768 px (the demo addresses wrap, never widen it)', async () => {
    const { page, errors, context } = await openPage(browser, { width: 375, height: 812 });
    try {
      await page.goto(`${webUrl()}/`);
      await page.locator('.signin-card').waitFor();
      for (const width of NARROW_WIDTHS) {
        await page.setViewportSize({ width, height: 812 });
        await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
        expect(await horizontalOverflow(page), `sign-in at ${width} px`).toBeLessThanOrEqual(0);
        const card = await box(page, '.signin-card');
        expect(card.x + card.width, `sign-in card at ${width} px`).toBeLessThanOrEqual(width);
      }
      await screenshot(page, 'layout-signin-768');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, E2E_TIMEOUT);

  it('the forecast\'s Record-outcome dialog fits 375 and 768 px (its choices wrap)', async () => {
    const { page, errors, context } = await openPage(browser, { width: 375, height: 812 });
    try {
      await signIn(page, 'manager');
      await page.goto(`${webUrl()}/forecast`);
      await page.locator('main h1').first().waitFor();
      await page.getByRole('button', { name: 'Record outcome' }).first().click();
      const dialog = page.getByRole('dialog');
      await dialog.locator('.outcome-choices').waitFor();
      for (const width of NARROW_WIDTHS) {
        await page.setViewportSize({ width, height: 812 });
        await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
        expect(await horizontalOverflow(page), `outcome dialog at ${width} px`).toBeLessThanOrEqual(0);
        const shown = (await dialog.boundingBox())!;
        expect(shown.x, `outcome dialog at ${width} px`).toBeGreaterThanOrEqual(0);
        expect(shown.x + shown.width, `outcome dialog at ${width} px`).toBeLessThanOrEqual(width);
        // Nothing inside the dialog is wider than it: the choices wrap, no box scrolls or is clipped sideways.
        const overflowing = await dialog.evaluate((root) => [root, ...root.querySelectorAll<HTMLElement>('*')]
          .filter((element) => element.scrollWidth > element.clientWidth + 1 && getComputedStyle(element).overflowX !== 'visible')
          .map((element) => element.className || element.tagName));
        expect(overflowing, `outcome dialog at ${width} px`).toEqual([]);
        const choices = await dialog.locator('.outcome-choices label').evaluateAll((labels) => labels.map((label) => label.getBoundingClientRect().right));
        const dialogRight = shown.x + shown.width;
        for (const right of choices) expect(right, `an outcome choice at ${width} px`).toBeLessThanOrEqual(dialogRight + 0.5);
        await screenshot(page, `layout-outcome-dialog-${width}`);
      }
      await page.keyboard.press('Escape');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, E2E_TIMEOUT);
});
