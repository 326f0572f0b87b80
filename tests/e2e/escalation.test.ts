// The escalation loop in a real browser: a CSM escalates a workflow and sees it on hold,
// their manager lands on the team page, resolves it from the escalations inbox with
// guidance, and the CSM continues: the guidance arrives, the step completes, and
// completing with steps left says how many will be skipped.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { withDb } from '../support/stack.ts';
import { rpcAs } from './support/api.ts';
import { seriousViolations } from './support/axe.ts';
import { launch, openPage, screenshot, signIn, signOut, webUrl } from './support/browser.ts';

const E2E_TIMEOUT = 180_000;
let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

describe('the escalation loop in the browser', () => {
  it('escalate as a CSM, resolve as the manager from the team page, continue as the CSM', async () => {
    // A fresh customer of Sam's with a started workflow, so reruns never collide.
    const me = await rpcAs<{ id: string; org_id: string }>('csm', 'get_my_profile');
    const customerName = `Escalated Co ${randomUUID().slice(0, 6)}`;
    const customerId = await withDb(async (db) => (await db.query<{ id: string }>(
      `insert into app.customers (org_id, name, arr, health_score, assigned_to) values ($1, $2, 210000, 44, $3) returning id`,
      [me.data.org_id, customerName, me.data.id])).rows[0]!.id);
    const opened = await rpcAs<{ id: string; total_steps: number }>('csm', 'create_workflow_execution', { customer_id: customerId, workflow_key: 'risk-intervention' });
    expect(opened.status).toBe(200);
    expect((await rpcAs('csm', 'start_workflow', { execution_id: opened.data.id })).status).toBe(200);
    const workflowUrl = `${webUrl()}/workflows/${opened.data.id}`;

    const { page, errors, context } = await openPage(browser);

    // The CSM escalates: the workflow is on hold, with no second "Escalate" and a Withdraw.
    await signIn(page, 'csm');
    await page.goto(workflowUrl);
    await page.getByRole('heading', { level: 1, name: new RegExp(customerName) }).waitFor();
    await page.getByRole('group', { name: 'Actions' }).getByRole('button', { name: 'Escalate to Manager' }).click();
    const escalate = page.getByRole('dialog', { name: 'Escalate to Manager' });
    await escalate.getByLabel('Reason').fill('They ask for 30% off to renew');
    await escalate.getByRole('button', { name: 'Escalate to Manager' }).click();
    await escalate.getByTestId('action-result').waitFor();
    await escalate.getByRole('button', { name: 'Done' }).click();
    const banner = page.getByRole('region', { name: 'Escalation', exact: true });
    await banner.getByText('Escalated to Maria Manager').waitFor();
    await banner.getByText('waiting for a decision').waitFor();
    // …and the level chosen in the form, in words (the server's label), not its key.
    expect(await banner.getByTestId('escalation-level').textContent()).toMatch(/^Level: [A-Z][^_]*$/);
    await banner.getByRole('button', { name: 'Withdraw escalation' }).waitFor();
    expect(await page.getByRole('group', { name: 'Actions' }).count(), 'no actions while escalated').toBe(0);
    expect(await page.getByRole('button', { name: 'Complete step' }).count()).toBe(0);
    expect(await banner.getByRole('button', { name: 'Resolve' }).count(), 'a CSM does not resolve').toBe(0);
    await screenshot(page, 'escalation-01-csm-on-hold');
    await signOut(page);

    // The manager lands on the team page and resolves it from the inbox.
    await signIn(page, 'manager');
    await page.getByRole('heading', { name: 'Your team' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/team');
    const inbox = page.getByRole('list', { name: 'Escalations waiting for a decision' });
    const item = inbox.getByRole('listitem').filter({ hasText: customerName });
    await item.getByText('They ask for 30% off to renew').waitFor();
    await screenshot(page, 'escalation-02-team-page');
    expect(await seriousViolations(page), 'axe on the team page').toEqual([]);
    await item.getByRole('button', { name: `Resolve the escalation of ${customerName}` }).click();
    const resolve = page.getByRole('dialog', { name: `Resolve the escalation · ${customerName}` });
    await resolve.getByLabel(/Return to Sam Senior/).check();
    await resolve.getByLabel('Guidance for the assignee').fill('Offer 10% for a two-year term');
    await resolve.getByRole('button', { name: 'Return with guidance' }).click();
    await page.getByRole('status').filter({ hasText: `${customerName}: Returned to Sam Senior` }).waitFor();
    await item.waitFor({ state: 'detached' });
    await signOut(page);

    // The CSM gets the guidance and continues where they were.
    await signIn(page, 'csm');
    await page.getByRole('button', { name: /\d+\+? unread notifications?/ }).click();
    await page.getByRole('region', { name: 'Notifications' }).getByText('Offer 10% for a two-year term').first().waitFor();
    await page.keyboard.press('Escape');
    await page.goto(workflowUrl);
    await page.getByRole('heading', { level: 1, name: new RegExp(customerName) }).waitFor();
    expect(await page.getByRole('region', { name: 'Escalation', exact: true }).count()).toBe(0);
    // The decision stays on the workflow, beside what was asked.
    const decision = page.getByRole('region', { name: 'Escalation decision' });
    await decision.getByText('Maria Manager returned it with guidance: “Offer 10% for a two-year term”').waitFor();
    await decision.getByText(/They ask for 30% off to renew/).waitFor();
    await page.getByRole('button', { name: 'Complete step' }).click();
    await page.getByText(/^1 of \d+ steps done$/).waitFor();

    // Completing with steps left asks first and says how many will be skipped.
    await page.getByRole('button', { name: 'Complete workflow' }).click();
    const complete = page.getByRole('dialog', { name: 'Complete with steps left?' });
    const left = opened.data.total_steps - 1;
    await complete.getByText(`${left} steps are not done`).waitFor();
    await complete.getByLabel('Why the remaining steps are not needed').fill('Signed on the call');
    await complete.getByRole('button', { name: `Skip ${left} and complete` }).click();
    await page.getByRole('status').filter({ hasText: `Workflow completed: 1 done, ${left} skipped.` }).waitFor();
    await page.getByText(`1 of ${opened.data.total_steps} steps done, ${left} skipped`).waitFor();
    await screenshot(page, 'escalation-03-completed');
    expect(await seriousViolations(page), 'axe on the workflow page').toEqual([]);
    expect(errors, 'no console errors').toEqual([]);
    await context.close();
  }, E2E_TIMEOUT);

  it('the team page fits a phone and a laptop, in the dark theme too, with no serious axe violations, each Open link naming its customer', async () => {
    try {
      for (const [theme, width] of [['dark', 390], ['light', 1440]] as const) {
        expect((await rpcAs('manager', 'update_user_preferences', { changes: { ui: { theme } } })).status).toBe(200);
        const { page, errors, context } = await openPage(browser, { width, height: width > 500 ? 1000 : 844 });
        await signIn(page, 'manager');
        await page.getByRole('heading', { name: 'Your team' }).waitFor();
        await page.locator('html[data-theme="' + theme + '"]').waitFor({ state: 'attached' });
        await page.getByRole('heading', { name: /Renewals this quarter/ }).waitFor();
        await page.locator('.team-table, .team-stats').first().waitFor();
        expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), `no sideways scroll at ${width} px`).toBeLessThanOrEqual(0);
        const violations = await seriousViolations(page);
        expect(violations, `axe, ${theme} at ${width} px: ${JSON.stringify(violations)}`).toEqual([]);
        await screenshot(page, `escalation-team-${theme}-${width}`);
        // Each renewal's Open link says whose workflow it opens, not just 'Open' again and again.
        expect(await page.getByRole('link', { name: /^Open the workflow of / }).count(), 'named Open links').toBeGreaterThan(0);
        expect(await page.getByRole('link', { name: 'Open', exact: true }).count(), 'bare Open links').toBe(0);
        expect(errors).toEqual([]);
        await context.close();
      }
    } finally {
      await rpcAs('manager', 'update_user_preferences', { changes: { ui: { theme: 'light' } } });
    }
  }, E2E_TIMEOUT);
});
