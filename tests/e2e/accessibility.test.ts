// Every main screen passes axe-core's WCAG 2.1 A/AA rules at serious and critical impact
// (labels, contrast, roles, names), in the light and the dark theme. No guidance lives in a
// hover tooltip (a title), which neither a finger nor a keyboard reaches: it is text on the
// page or a toggletip, a button that opens it on a tap, a click or Enter and announces it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { functionAs, rpcAs } from './support/api.ts';
import { seriousViolations } from './support/axe.ts';
import type { Page } from 'playwright-core';
import { launch, openPage, signIn, webUrl } from './support/browser.ts';

let browser: Browser;
let executionId: string;
let customerId: string;

beforeAll(async () => {
  browser = await launch();
  // A workflow with a conversation and a drafted email, so the chat and artifact cards are checked too.
  const queue = await rpcAs<{ items: { execution_id: string; status: string }[] }>('csm', 'get_workflow_queue', { page_size: 50 });
  executionId = queue.data.items.find((item) => item.status === 'queued')!.execution_id;
  customerId = (await rpcAs<{ customer: { id: string } }>('csm', 'get_workflow_execution', { execution_id: executionId })).data.customer.id;
  await rpcAs('csm', 'start_workflow', { execution_id: executionId });
  const execution = await rpcAs<{ current_step: { key: string } }>('csm', 'get_workflow_execution', { execution_id: executionId });
  const thread = await rpcAs<{ id: string }>('csm', 'create_chat_thread', { execution_id: executionId, step_key: execution.data.current_step.key });
  const chat = await functionAs('csm', 'chat', { thread_id: thread.data.id, content: 'Please draft an email to the champion about the renewal', client_message_id: `a11y-${Date.now()}` });
  expect(chat.status).toBe(200);
  // A second conversation at the step, so its tabs are checked too (the pressed one's status on its blue).
  const second = await rpcAs('csm', 'create_chat_thread', { execution_id: executionId, step_key: execution.data.current_step.key, thread_type: 'rag' });
  expect(second.status).toBe(200);
  // The manager has an unread notification, so the bell shows its count badge on the pages checked.
  const manager = await rpcAs<{ id: string }>('manager', 'get_my_profile');
  const task = await rpcAs('csm', 'create_task', { title: 'Look at the a11y check', customer_id: customerId, assigned_to: manager.data.id });
  expect(task.status).toBe(200);
});
afterAll(async () => {
  if (browser) await rpcAs('csm', 'update_user_preferences', { changes: { ui: { theme: 'light' } } });
  if (browser) await rpcAs('viewer', 'update_user_preferences', { changes: { ui: { theme: 'light' } } });
  await browser?.close();
});

describe('accessibility', () => {
  it('the sign-in page has no serious violations', async () => {
    const { page, context } = await openPage(browser);
    await page.goto(`${webUrl()}/`);
    await page.getByLabel('Email').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  }, 60_000);

  for (const theme of ['light', 'dark'] as const) {
    it(`queue, workflow, tasks and preferences have no serious violations (${theme})`, async () => {
      await rpcAs('csm', 'update_user_preferences', { changes: { ui: { theme } } });
      const { page, context } = await openPage(browser);
      await signIn(page, 'csm');
      await page.locator('html[data-theme="' + theme + '"]').waitFor({ state: 'attached' });
      const screens: [string, () => Promise<void>][] = [
        ['queue', async () => { await page.locator('[data-testid=queue-row], .state-empty').first().waitFor(); }],
        ['workflow', async () => {
          await page.goto(`${webUrl()}/workflows/${executionId}`);
          await page.getByRole('complementary', { name: 'Customer context' }).getByText('Engagement').waitFor();
          await page.locator('.chat [data-testid=artifact-card]').first().waitFor();
          await page.getByRole('group', { name: 'Conversations at this step' }).locator('[aria-pressed=true]').waitFor();
        }],
        ['action dialog', async () => {
          await page.getByRole('group', { name: 'Actions' }).getByRole('button', { name: 'Snooze Workflow' }).click();
          await page.getByRole('dialog', { name: 'Snooze Workflow' }).waitFor();
        }],
        ['notifications', async () => {
          await page.keyboard.press('Escape');
          await page.getByRole('button', { name: /^(Notifications|\d+\+? unread notifications?)$/ }).click();
          await page.getByRole('region', { name: 'Notifications' }).waitFor();
        }],
        ['tasks', async () => { await page.goto(`${webUrl()}/tasks`); await page.getByRole('tab', { name: 'To do' }).waitFor(); await page.locator('.task-list, .state-empty').first().waitFor(); }],
        ['preferences', async () => { await page.goto(`${webUrl()}/preferences`); await page.getByRole('radio', { name: 'Dark' }).waitFor(); }],
        ['queue with rows selected', async () => {
          await page.goto(`${webUrl()}/queue`);
          await page.locator('[data-testid=queue-row] input[type=checkbox]').first().check();
          await page.getByRole('region', { name: 'Bulk actions' }).getByRole('button', { name: 'Snooze…' }).click();
          await page.getByRole('region', { name: 'Bulk actions' }).getByLabel('Reason').waitFor();
        }],
        ['customers', async () => { await page.goto(`${webUrl()}/customers`); await page.locator('[data-testid=customer-row]').first().waitFor(); }],
        ['customer', async () => {
          await page.goto(`${webUrl()}/customers/${customerId}`);
          await page.locator('[data-testid=customer-workflow]').first().waitFor();
          await page.getByRole('complementary', { name: 'Customer context' }).getByText('Stakeholders').waitFor();
          await page.getByRole('region', { name: 'Activity' }).locator('[data-testid=timeline-entry], p.muted').first().waitFor();
        }],
        ['customer, new task', async () => {
          await page.getByRole('region', { name: 'Tasks' }).getByRole('button', { name: 'New task' }).click();
          await page.getByRole('form', { name: 'New task' }).waitFor();
        }],
        ['tasks, new task', async () => {
          await page.goto(`${webUrl()}/tasks`);
          await page.getByRole('button', { name: 'New task' }).click();
          await page.getByRole('form', { name: 'New task' }).getByLabel('Customer').fill('ac');
          await page.getByRole('tab', { name: 'This week' }).click();
          await page.locator('.task-list, .state-empty').first().waitFor();
        }],
      ];
      const found: Record<string, unknown> = {};
      for (const [name, open] of screens) {
        await open();
        const violations = await seriousViolations(page);
        if (violations.length > 0) found[name] = violations;
      }
      expect(found).toEqual({});
      await context.close();

      // A manager's and an admin's pages: the team, the forecast, and every Admin screen.
      for (const [person, pages] of [
        ['manager', ['/team', '/forecast']],
        ['admin', ['/admin/people', '/admin/workflows', '/admin/workflows/critical', '/admin/actions', '/admin/settings', '/admin/integrations', '/admin/audit']],
      ] as const) {
        await rpcAs(person, 'update_user_preferences', { changes: { ui: { theme } } });
        const other = await openPage(browser);
        await signIn(other.page, person);
        const seen: Record<string, unknown> = {};
        for (const path of pages) {
          await other.page.goto(`${webUrl()}${path}`);
          await other.page.locator('html[data-theme="' + theme + '"]').waitFor({ state: 'attached' });
          await other.page.locator('main h1').first().waitFor();
          await other.page.waitForLoadState('networkidle');
          const violations = await seriousViolations(other.page);
          if (violations.length > 0) seen[path] = violations;
        }
        expect(seen, `${person} pages in the ${theme} theme`).toEqual({});
        await other.context.close();
        await rpcAs(person, 'update_user_preferences', { changes: { ui: { theme: 'light' } } });
      }

      // A viewer's home: the organisation's renewals and customers.
      await rpcAs('viewer', 'update_user_preferences', { changes: { ui: { theme } } });
      const viewer = await openPage(browser);
      await signIn(viewer.page, 'viewer');
      await viewer.page.locator('html[data-theme="' + theme + '"]').waitFor({ state: 'attached' });
      await viewer.page.locator('[data-testid=customer-row]').first().waitFor();
      expect(await seriousViolations(viewer.page)).toEqual([]);
      await viewer.context.close();
    }, 180_000);
  }

  // The pages whose guidance lived in titles: the queue (its urgent count, lanes, decision
  // date, a notice deadline), a workflow (a drafted email's state, the context's freshness),
  // the customers, the forecast (derived, on hold, no open workflow) and the team (its lanes).
  for (const width of [390, 768, 1280]) {
    it(`no guidance is in a hover tooltip at ${width} px, and every toggletip opens on a tap and on Enter, announced, inside the window`, async () => {
      const height = width > 500 ? 1000 : 844;
      const seen: Record<string, string[]> = {};
      let toggletips = 0;
      for (const [person, paths] of [
        ['csm', ['/queue', `/workflows/${executionId}`, '/customers', `/customers/${customerId}`]],
        ['manager', ['/forecast', '/team']],
      ] as const) {
        const { page, errors, context } = await openPage(browser, { width, height });
        try {
          await signIn(page, person);
          for (const path of paths) {
            await page.goto(`${webUrl()}${path}`);
            await page.locator('main h1').first().waitFor();
            await page.waitForLoadState('networkidle');
            if (path.startsWith('/workflows/')) await page.locator('.chat [data-testid=artifact-card]').first().waitFor();
            const titled = await withTitles(page);
            if (titled.length > 0) seen[path] = titled;
            toggletips += await checkToggletips(page, width, path);
          }
          expect(errors).toEqual([]);
        } finally {
          await context.close();
        }
      }
      expect(seen, 'elements whose guidance is a title').toEqual({});
      expect(toggletips, 'toggletips checked').toBeGreaterThanOrEqual(3);
    }, 180_000);
  }
});

/** Elements with a title (a tooltip only a mouse shows), shown in the page. */
function withTitles(page: Page): Promise<string[]> {
  return page.evaluate(() => [...document.querySelectorAll<HTMLElement>('[title]')]
    .filter((element) => element.getClientRects().length > 0)
    .map((element) => `${element.tagName.toLowerCase()}.${element.className}: ${element.getAttribute('title')}`));
}

/** Opens each visible toggletip by a click, closes it with Escape, opens it with Enter; returns how many. */
async function checkToggletips(page: Page, width: number, path: string): Promise<number> {
  const buttons = page.locator('main .toggletip > button');
  const count = await buttons.count();
  let checked = 0;
  for (let index = 0; index < count; index += 1) {
    const button = buttons.nth(index);
    if (!(await button.isVisible())) continue;
    const where = `${path} at ${width} px, toggletip ${index} (${await button.getAttribute('aria-label')})`;
    const bubble = page.locator(`[id="${await button.getAttribute('aria-controls')}"]`);
    expect(await bubble.getAttribute('role'), `${where}: its words are announced`).toBe('status');
    expect((await bubble.textContent())?.trim(), `${where}: empty while closed`).toBe('');
    await button.click();
    expect((await bubble.textContent())?.trim().length, `${where}: words after a click`).toBeGreaterThan(10);
    expect(await button.getAttribute('aria-expanded'), where).toBe('true');
    const box = (await bubble.boundingBox())!;
    expect(box.x >= 0 && box.x + box.width <= width + 0.5, `${where}: inside the window (${Math.round(box.x)}–${Math.round(box.x + box.width)})`).toBe(true);
    await page.keyboard.press('Escape');
    expect((await bubble.textContent())?.trim(), `${where}: Escape closes it`).toBe('');
    await button.focus();
    await page.keyboard.press('Enter');
    expect((await bubble.textContent())?.trim().length, `${where}: words after Enter`).toBeGreaterThan(10);
    await page.keyboard.press('Escape');
    checked += 1;
  }
  return checked;
}
