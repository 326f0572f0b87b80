// A CSM's morning in a real browser: the queue, a workflow worked with the assistant, an
// approved email sent, a snooze, an escalation the manager sees. Screenshots of each main
// screen are saved under the test output folder.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { withDb } from '../support/stack.ts';
import { rpcAs } from './support/api.ts';
import { launch, openPage, screenshot, signIn, signOut, type TrackedPage } from './support/browser.ts';

interface QueueAnswer { items: { execution_id: string; status: string; customer: { name: string } }[] }

const E2E_TIMEOUT = 180_000;
let browser: Browser;

beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

async function queueRows(page: Page): Promise<string[]> {
  await page.locator('[data-testid=queue-row]').first().waitFor();
  return page.locator('[data-testid=queue-row] a.row-link').evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));
}

async function runAction(page: Page, name: string, fill: (dialog: ReturnType<Page['getByRole']>) => Promise<void>): Promise<string> {
  await page.getByRole('group', { name: 'Actions' }).getByRole('button', { name }).click();
  const dialog = page.getByRole('dialog', { name });
  await fill(dialog);
  // A double click must not act twice: the form sends one idempotency key.
  await dialog.getByRole('button', { name }).dblclick();
  const result = dialog.getByTestId('action-result');
  const refusal = dialog.getByRole('alert');
  await result.or(refusal).first().waitFor();
  if (await refusal.isVisible()) throw new Error(`${name} was refused: ${await refusal.textContent()}`);
  const text = (await result.textContent()) ?? '';
  await dialog.getByRole('button', { name: 'Done' }).click();
  return text;
}

describe('the CSM workspace in a browser', () => {
  it('takes a CSM from the queue through a workflow with the assistant to a sent email, a snooze and an escalation the manager sees', async () => {
    const tracked: TrackedPage = await openPage(browser);
    const { page, errors } = tracked;

    // The queue shows the server's top item first.
    await signIn(page, 'csm');
    await page.getByRole('heading', { name: 'Your queue' }).waitFor();
    const expected = await rpcAs<QueueAnswer>('csm', 'get_workflow_queue', { page_size: 25 });
    const first = expected.data.items[0]!;
    const rows = await queueRows(page);
    expect(rows[0]).toBe(`/workflows/${first.execution_id}`);
    // On a fresh stack the top item is new work; on a rerun earlier runs left theirs
    // escalated or in progress, so the flow takes the first untouched one.
    const queued = expected.data.items.filter((item) => item.status === 'queued');
    const top = queued[0]!;
    const topAgain = queued[1]!;
    await screenshot(page, '01-queue');

    // "Load more" follows the cursor and never repeats a row.
    const total = (await rpcAs<{ stats: { total: number } }>('csm', 'get_workflow_queue', { page_size: 1 })).data.stats.total;
    const more = page.getByRole('button', { name: 'Load more' });
    expect(await more.count()).toBe(total > rows.length ? 1 : 0);
    if (total > rows.length) {
      await more.click();
      await expect.poll(async () => (await queueRows(page)).length).toBeGreaterThan(rows.length);
      const all = await queueRows(page);
      expect(new Set(all).size).toBe(all.length);
      // The focus (and the j / k highlight) is on the first row the page brought, where the list grew.
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('href'))).toBe(all[rows.length]);
    }

    // Its priority is explained on keyboard focus.
    await page.locator('[data-testid=queue-row] .priority-score').first().focus();
    await expect(page.getByRole('tooltip').first().isVisible()).resolves.toBe(true);

    // j / k and Enter open the highlighted row (after Load more, the first row it brought).
    const highlighted = await page.locator('[data-testid=queue-row].row-active a.row-link').getAttribute('href');
    await page.locator('body').click({ position: { x: 5, y: 400 } });
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await page.keyboard.press('Enter');
    await page.waitForURL(`**${highlighted}`);
    if (new URL(page.url()).pathname !== `/workflows/${top.execution_id}`) await page.goto(`${new URL(page.url()).origin}/workflows/${top.execution_id}`);
    await page.getByRole('heading', { level: 1, name: new RegExp(top.customer.name) }).waitFor();
    await page.getByRole('button', { name: 'Start workflow' }).click();
    await page.getByRole('button', { name: 'Complete step' }).waitFor();

    // Chat: the answer streams in token by token.
    await page.locator('.branch-llm, .branch-rag').first().click();
    const box = page.getByLabel('Message the assistant');
    await box.fill('What should I know before the renewal call?');
    const lengths: number[] = [];
    const sampler = setInterval(() => {
      void page.locator('[data-testid=chat-message-assistant] .msg-body').last().textContent().then((text) => lengths.push((text ?? '').length), () => undefined);
    }, 40);
    await box.press('Enter');
    await page.locator('[data-testid=chat-message-assistant][data-status=complete]').first().waitFor();
    clearInterval(sampler);
    const distinct = new Set(lengths.filter((length) => length > 0));
    expect(distinct.size, 'the answer grew in several steps while streaming').toBeGreaterThan(1);
    await screenshot(page, '02-workflow-chat');

    // Ask for a draft: it appears as an email artifact card in the chat.
    await box.fill('Please draft an email to the champion about the renewal');
    await box.press('Enter');
    const draftCard = page.locator('.chat [data-testid=artifact-card]').first();
    await draftCard.waitFor();
    await expect(draftCard.getByLabel('Email draft').isVisible()).resolves.toBe(true);

    // Edit it while someone else changes it: the conflict is explained, nothing is lost.
    const drafts = await rpcAs<{ id: string; version: number; content: Record<string, unknown> }[]>('csm', 'list_artifacts', { execution_id: top.execution_id, artifact_type: 'email_draft' });
    const draft = drafts.data[0]!;
    await draftCard.getByRole('button', { name: 'Edit' }).click();
    const editor = page.getByRole('dialog', { name: 'Edit email draft' });
    await editor.getByLabel('Message').fill('Hi,\n\nA shorter note from me.\n\nSam');
    const theirs = await rpcAs('csm', 'update_artifact', { artifact_id: draft.id, base_version: draft.version, changes: { content: { ...draft.content, subject: 'Changed elsewhere' } } });
    expect(theirs.status).toBe(200);
    const before = errors.length;
    await editor.getByRole('button', { name: 'Save changes' }).click();
    await editor.getByText('This draft changed since you opened it.').waitFor();
    // The browser logs the expected 409 as a failed resource; that one line is the conflict.
    expect(errors.splice(before).every((line) => /status of 409/.test(line))).toBe(true);
    await screenshot(page, '03-draft-conflict');
    await editor.getByRole('button', { name: 'Keep my edits' }).click();
    await editor.getByRole('button', { name: 'Save changes' }).click();
    await editor.waitFor({ state: 'detached' });
    await draftCard.getByText('A shorter note from me.', { exact: false }).waitFor();

    // Four eyes: the author may not approve their own draft, so they are shown the state,
    // not a button that must fail; their manager approves, then the CSM sends it.
    await draftCard.getByText('Waiting for a second person to approve').waitFor();
    expect(await draftCard.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect((await rpcAs('manager', 'approve_artifact', { artifact_id: draft.id })).status).toBe(200);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: new RegExp(top.customer.name) }).waitFor();
    await screenshot(page, '03-draft-approved');
    const sent = await runAction(page, 'Send Email', async (dialog) => {
      await dialog.getByRole('radio').first().check();
    });
    expect(sent).not.toMatch(/did not succeed/);
    const outbox = await withDb((db) => db.query<{ status: string; n: string }>(
      `select status, count(*) as n from app.email_outbox where execution_id = $1 group by status`, [top.execution_id]));
    expect(outbox.rows.reduce((sum, row) => sum + Number(row.n), 0), 'one email, even after a double click').toBe(1);
    // Without SMTP configured the mail transport is the local sink.
    expect(outbox.rows[0]?.status).toMatch(/^(sent|delivered_to_sink)$/);
    await page.getByRole('region', { name: 'Activity' }).getByText(/Send email: not sent, as no mail server is set up|Send email: sent/i).first().waitFor();

    // A follow-up task, then done from the task list.
    const taskTitle = `Call the champion ${Date.now()}`;
    await runAction(page, 'Create Follow-up Task', async (dialog) => {
      await dialog.getByLabel('Title').fill(taskTitle);
      await dialog.getByLabel('Priority').selectOption('high');
    });
    await page.getByRole('link', { name: 'Tasks' }).click();
    const task = page.getByRole('listitem').filter({ hasText: taskTitle });
    await task.waitFor();
    await screenshot(page, '04-tasks');
    await task.getByRole('button', { name: 'Complete' }).click();
    await task.waitFor({ state: 'detached' });
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: new RegExp(top.customer.name) }).waitFor();

    // Snooze for 7 days with a reason: it leaves the queue.
    const snoozed = await runAction(page, 'Snooze Workflow', async (dialog) => {
      await dialog.getByLabel(/Days/).fill('7');
      await dialog.getByLabel('Reason').fill('Customer is travelling this week');
    });
    expect(snoozed).toMatch(/Snoozed until/);
    await page.getByRole('link', { name: '← Queue' }).click();
    await page.getByRole('heading', { name: 'Your queue' }).waitFor();
    expect(await queueRows(page)).not.toContain(`/workflows/${top.execution_id}`);

    // Escalate the next item.
    // A reload on the way: the session survives it.
    await page.goto(`${new URL(page.url()).origin}/workflows/${topAgain.execution_id}`);
    await page.getByRole('heading', { level: 1, name: new RegExp(topAgain.customer.name) }).waitFor();
    const escalated = await runAction(page, 'Escalate to Manager', async (dialog) => {
      await dialog.getByLabel('Reason').fill('Procurement is blocking the renewal');
    });
    expect(escalated).toMatch(/Escalated/);
    expect(errors, 'no console errors').toEqual([]);

    // The manager sees the escalation in the bell.
    await signOut(page);
    await signIn(page, 'manager');
    const bell = page.getByRole('button', { name: /^\d+\+? unread notifications?$/ });
    await bell.click();
    await page.getByRole('region', { name: 'Notifications' }).getByText(/escalat/i).first().waitFor();
    await screenshot(page, '05-manager-notification');

    // Managers look at a team member's queue.
    await page.keyboard.press('Escape');
    // A manager lands on the team page; the queues are one link away.
    await page.getByRole('link', { name: 'Queue', exact: true }).click();
    await page.getByLabel('Queue of').selectOption({ label: 'Sam Senior' });
    await page.getByRole('heading', { name: 'Sam Senior’s queue' }).waitFor();
    await screenshot(page, '06-manager-team-queue');
    expect(errors, 'no console errors').toEqual([]);
    await tracked.context.close();
  }, E2E_TIMEOUT);
});
