// Sent mail: an email sent from a workflow through the local mail sink shows on the
// "Sent mail" page with its status, and opens as the email that went out.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { functionAs, rpcAs } from './support/api.ts';
import { seriousViolations } from './support/axe.ts';
import { launch, openPage, screenshot, signIn } from './support/browser.ts';
import { withDb } from '../support/stack.ts';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

describe('sent mail', () => {
  it('shows an email the CSM sent, delivered to the mail sink, to the manager', async () => {
    const me = await rpcAs<{ id: string; org_id: string }>('csm', 'get_my_profile');
    const subject = `Renewal next steps ${randomUUID().slice(0, 8)}`;
    const customerId = await withDb(async (db) => (await db.query<{ id: string }>(
      `insert into app.customers (org_id, name, arr, health_score, assigned_to) values ($1, $2, 90000, 45, $3) returning id`,
      [me.data.org_id, `Mailbox Co ${randomUUID().slice(0, 8)}`, me.data.id])).rows[0]!.id);
    const opened = await rpcAs<{ id: string }>('csm', 'create_workflow_execution', { customer_id: customerId, workflow_key: 'risk-intervention' });
    expect(opened.status).toBe(200);
    await rpcAs('csm', 'start_workflow', { execution_id: opened.data.id });
    const artifactId = await withDb(async (db) => (await db.query<{ id: string }>(
      `insert into app.workflow_task_artifacts (org_id, execution_id, artifact_type, title, content, approved_by, approved_at)
       values ($1, $2, 'email_draft', 'Next steps', $3, $4, now()) returning id`,
      [me.data.org_id, opened.data.id, { to: ['cfo@mailbox.example'], subject, body: 'Hi,\n\nHere are our next steps.\n\nSam' }, me.data.id])).rows[0]!.id);
    const sent = await functionAs('csm', 'execute-action', {
      action_key: 'send_email', execution_id: opened.data.id, params: { artifact_id: artifactId }, idempotency_key: `e2e-${randomUUID()}`,
    });
    expect(sent.status).toBe(200);

    const { page, errors, context } = await openPage(browser);
    await signIn(page, 'manager');
    await page.getByRole('link', { name: 'Sent mail' }).click();
    const item = page.getByRole('list', { name: 'Sent mail' }).getByRole('listitem').filter({ hasText: subject });
    await item.waitFor();
    await item.getByText('Not sent (no mail server)').waitFor();
    await item.getByText('to cfo@mailbox.example').waitFor();
    await item.locator('summary').click();
    const email = item.getByLabel(`Email: ${subject}`);
    await email.waitFor();
    expect(await email.locator('.email-body').textContent()).toBe('Hi,\n\nHere are our next steps.\n\nSam');
    await item.getByText('Sent by Sam Senior').waitFor();
    await screenshot(page, 'sent-mail');
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});
