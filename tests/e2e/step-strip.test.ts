// Strips that scroll sideways on a phone — the workflow's steps, the task views — say so (a fade
// on the side with more, gone at the end) and bring the item shown into view, so the current
// step of a workflow half done, or the view chosen, is never off the edge with nothing to tell.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { withDb } from '../support/stack.ts';
import { rpcAs } from './support/api.ts';
import { launch, openPage, screenshot, signIn, webUrl } from './support/browser.ts';

const E2E_TIMEOUT = 120_000;
let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

interface Strip { scrolls: boolean; fadeLeft: string; fadeRight: string; selected: { left: number; right: number }; frame: { left: number; right: number } }

/** In the page: '1' when a fade (a pseudo-element with content) is drawn on that side, else '0'. */
const FADE_OF = `window.fadeOf = (element, side) => {
  const style = getComputedStyle(element, side);
  return style.content !== 'none' && style.content !== 'normal' && style.opacity === '1' ? '1' : '0';
}`;
declare function fadeOf(element: Element, side: '::before' | '::after'): string;

/** The strip's scroll, its fades and where the selected step sits in it. */
async function strip(page: Page): Promise<Strip> {
  await page.evaluate(FADE_OF);
  return page.evaluate(() => {
    const list = document.querySelector<HTMLElement>('nav.steps ol')!;
    const nav = list.closest('nav')!;
    const selected = list.querySelector<HTMLElement>('[aria-current="step"]')!.getBoundingClientRect();
    const frame = list.getBoundingClientRect();
    return {
      scrolls: list.scrollWidth > list.clientWidth + 1,
      fadeLeft: fadeOf(nav, '::before'),
      fadeRight: fadeOf(nav, '::after'),
      selected: { left: selected.left, right: selected.right },
      frame: { left: frame.left, right: frame.right },
    };
  });
}

const settle = (page: Page) => page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 800)));

describe('the step strip on a phone', () => {
  it('fades where more steps are, and shows the current step even when it is the last', async () => {
    const me = await rpcAs<{ id: string; org_id: string }>('csm', 'get_my_profile');
    const customerId = await withDb(async (db) => (await db.query<{ id: string }>(
      `insert into app.customers (org_id, name, arr, health_score, assigned_to) values ($1, $2, 95000, 61, $3) returning id`,
      [me.data.org_id, `Strip Co ${randomUUID().slice(0, 6)}`, me.data.id])).rows[0]!.id);
    const opened = await rpcAs<{ id: string }>('csm', 'create_workflow_execution', { customer_id: customerId, workflow_key: 'risk-intervention' });
    expect(opened.status).toBe(200);
    expect((await rpcAs('csm', 'start_workflow', { execution_id: opened.data.id })).status).toBe(200);
    const steps = await withDb(async (db) => (await db.query<{ step_key: string }>(
      `select step_key from app.workflow_step_executions where execution_id = $1 order by step_index`, [opened.data.id])).rows.map((row) => row.step_key));
    expect(steps.length).toBeGreaterThanOrEqual(3);
    // Every step but the last done: the current step is the strip's last.
    for (const key of steps.slice(0, -1)) expect((await rpcAs('csm', 'complete_step', { execution_id: opened.data.id, step_key: key, outcome: {} })).status).toBe(200);

    const { page, errors, context } = await openPage(browser, { width: 390, height: 844 });
    try {
      await signIn(page, 'csm');
      await page.goto(`${webUrl()}/workflows/${opened.data.id}`);
      await page.locator('nav.steps [aria-current="step"]').waitFor();
      await settle(page);
      const atLast = await strip(page);
      await screenshot(page, 'step-strip-390');
      expect(atLast.scrolls, 'the strip is wider than a phone').toBe(true);
      expect(atLast.selected.left, 'the current step starts in view').toBeGreaterThanOrEqual(atLast.frame.left - 1);
      expect(atLast.selected.right, 'the current step ends in view').toBeLessThanOrEqual(atLast.frame.right + 1);
      expect(atLast.fadeLeft, 'a fade on the left: steps before it').toBe('1');
      expect(atLast.fadeRight, 'no fade on the right: nothing after it').toBe('0');

      // Showing the first step again scrolls the strip back to it, with the fade on the right.
      await page.evaluate(() => document.querySelector<HTMLButtonElement>('nav.steps li:first-child button')!.click());
      await settle(page);
      const atFirst = await strip(page);
      expect(atFirst.selected.left).toBeGreaterThanOrEqual(atFirst.frame.left - 1);
      expect(atFirst.fadeRight, 'a fade on the right: more steps').toBe('1');
      expect(atFirst.fadeLeft).toBe('0');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, E2E_TIMEOUT);

  it('the task views fade where more views are, and the view chosen comes into view', async () => {
    const { page, errors, context } = await openPage(browser, { width: 390, height: 844 });
    try {
      await signIn(page, 'csm');
      await page.goto(`${webUrl()}/tasks`);
      const tabs = page.getByRole('tablist', { name: 'Which tasks' });
      await tabs.waitFor();
      await settle(page);
      await page.evaluate(FADE_OF);
      const fades = () => page.evaluate(() => {
        const list = document.querySelector<HTMLElement>('[role="tablist"][aria-label="Which tasks"]')!;
        const frame = list.parentElement!;
        const selected = list.querySelector<HTMLElement>('[aria-selected="true"]')!.getBoundingClientRect();
        const box = list.getBoundingClientRect();
        return {
          scrolls: list.scrollWidth > list.clientWidth + 1,
          left: fadeOf(frame, '::before'),
          right: fadeOf(frame, '::after'),
          inView: selected.left >= box.left - 1 && selected.right <= box.right + 1,
        };
      });
      expect(await fades()).toEqual({ scrolls: true, left: '0', right: '1', inView: true });
      // The last view, chosen without the browser scrolling to it (as a tap on its visible edge does not).
      await page.evaluate(() => document.querySelector<HTMLButtonElement>('[aria-label="Which tasks"] [role="tab"]:last-child')!.click());
      await settle(page);
      expect(await fades()).toEqual({ scrolls: true, left: '1', right: '0', inView: true });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, E2E_TIMEOUT);
});
