// The chat's message box: opening a chat from a step's branch puts the focus in it (the branch
// button is disabled while the thread is made, which used to drop the focus to the page), and
// its "Enter to send" keyboard hint is for a keyboard only — hidden on a phone, shown on a laptop.
// The conversation keeps its end in view as an answer's card and model line appear; on a phone
// the page is its one scroll area, the message box at the screen's foot.
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

/** A fresh customer of Sam's with a started workflow, so reruns never collide; its id. */
async function startedWorkflow(): Promise<string> {
  const me = await rpcAs<{ id: string; org_id: string }>('csm', 'get_my_profile');
  const customerId = await withDb(async (db) => (await db.query<{ id: string }>(
    `insert into app.customers (org_id, name, arr, health_score, assigned_to) values ($1, $2, 95000, 61, $3) returning id`,
    [me.data.org_id, `Composer Co ${randomUUID().slice(0, 6)}`, me.data.id])).rows[0]!.id);
  const opened = await rpcAs<{ id: string }>('csm', 'create_workflow_execution', { customer_id: customerId, workflow_key: 'risk-intervention' });
  expect(opened.status).toBe(200);
  expect((await rpcAs('csm', 'start_workflow', { execution_id: opened.data.id })).status).toBe(200);
  return opened.data.id;
}

/** Signed in as the CSM, opens the workflow's chat from its first AI branch and asks for a draft, until the answer and its drafted email are shown. */
async function askForADraft(page: Page, executionId: string): Promise<void> {
  await signIn(page, 'csm');
  await page.goto(`${webUrl()}/workflows/${executionId}`);
  await page.locator('.branch-llm, .branch-rag').first().click();
  const box = page.getByLabel('Message the assistant');
  await box.fill('Please draft an email to the champion about the renewal');
  await box.press('Enter');
  await page.locator('[data-testid=chat-message-assistant][data-status=complete]').first().waitFor();
  await page.locator('[data-testid=chat-log] .artifact-kind').first().waitFor();
}

describe('the chat composer', () => {
  it('takes the focus when a branch opens the chat, and hides its keyboard hint on a phone only', async () => {
    const executionId = await startedWorkflow();
    const { page, errors, context } = await openPage(browser, { width: 390, height: 844 });
    try {
      await signIn(page, 'csm');
      await page.goto(`${webUrl()}/workflows/${executionId}`);
      await page.locator('.branch-llm, .branch-rag').first().click();
      const box = page.getByLabel('Message the assistant');
      await box.waitFor();
      await expect.poll(() => box.evaluate((node) => node === document.activeElement), { message: 'the focus is in the message box' }).toBe(true);

      const hint = page.locator('.composer-foot kbd').first();
      expect(await hint.isVisible(), 'Enter to send on a phone').toBe(false);
      const send = (await page.locator('.composer-foot').getByRole('button', { name: 'Send', exact: true }).boundingBox())!;
      const foot = (await page.locator('.composer-foot').boundingBox())!;
      expect(foot.x + foot.width - (send.x + send.width), 'Send keeps to the right').toBeLessThanOrEqual(1);

      await page.setViewportSize({ width: 1440, height: 900 });
      expect(await hint.isVisible(), 'Enter to send on a laptop').toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, E2E_TIMEOUT);

  it('keeps the end of the conversation in view once an answer with a drafted email is complete, its model named in words', async () => {
    const executionId = await startedWorkflow();
    const { page, errors, context } = await openPage(browser, { width: 1440, height: 900 });
    try {
      await askForADraft(page, executionId);
      const hidden = () => page.getByTestId('chat-log').evaluate((log) => log.scrollHeight - log.scrollTop - log.clientHeight);
      await expect.poll(hidden, { message: 'px of the conversation below the end of its log' }).toBeLessThanOrEqual(1);
      expect(await page.locator('[data-testid=chat-log] .artifact-kind').first().textContent()).toMatch(/drafted by the assistant \(built-in offline model\)/);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, E2E_TIMEOUT);

  // On a phone the conversation was a box of its own (520 px at most) scrolling inside the
  // scrolling page: two scroll areas under one finger. It is now as tall as its messages, the
  // page the one scroll area, the message box at the screen's foot and the answer's end above it.
  it('on a phone is one scroll area with the page, the message box in view under the answer\'s end, nothing scrolling sideways', async () => {
    const executionId = await startedWorkflow();
    const { page, errors, context } = await openPage(browser, { width: 390, height: 844 });
    try {
      await askForADraft(page, executionId);
      const where = () => page.evaluate(() => {
        const log = document.querySelector<HTMLElement>('[data-testid=chat-log]')!;
        const composer = document.querySelector('.chat .composer')!.getBoundingClientRect();
        const messages = log.querySelectorAll('.chat-list > li');
        return {
          logScrolls: log.scrollHeight - log.clientHeight > 1,
          sideways: document.documentElement.scrollWidth - document.documentElement.clientWidth > 0,
          composerInView: composer.top >= 0 && composer.bottom <= window.innerHeight + 1,
          endHidden: Math.round(messages[messages.length - 1]!.getBoundingClientRect().bottom - composer.top),
        };
      });
      await expect.poll(async () => (await where()).endHidden, { message: 'px of the answer\'s end under the message box' }).toBeLessThanOrEqual(1);
      const { logScrolls, sideways, composerInView } = await where();
      expect({ logScrolls, sideways, composerInView }).toEqual({ logScrolls: false, sideways: false, composerInView: true });
      await screenshot(page, 'phone-chat');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, E2E_TIMEOUT);
});
