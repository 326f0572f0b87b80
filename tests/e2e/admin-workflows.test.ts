// An admin edits a workflow's step on the Admin pages; a CSM then opens a new execution
// of it and sees the new step, while the core definition stays as shipped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { rpcAs } from './support/api.ts';
import { launch, openPage, screenshot, signIn, signOut, webUrl } from './support/browser.ts';
import { withDb } from '../support/stack.ts';

const KEY = 'executive-meeting';
const NEW_TITLE = 'Brief our executive in person';
let browser: Browser;
let customerId: string | null = null;

beforeAll(async () => { browser = await launch(); });
afterAll(async () => {
  // Leave the demo organisation as the seed made it: its executions of the edited
  // definition first (they hold its versions), then its own version of the definition.
  await withDb(async (db) => {
    await db.query(`delete from app.workflow_executions e using app.workflow_versions v, app.workflows w
                     where e.workflow_version_id = v.id and v.workflow_id = w.id and w.org_id is not null and w.key = $1`, [KEY]);
    await db.query('delete from app.workflows where org_id is not null and key = $1', [KEY]);
    if (customerId) await db.query('delete from app.customers where id = $1', [customerId]);
  });
  await browser?.close();
});

describe('admin workflows', () => {
  it('an admin edits a step and a CSM sees it on a new execution', async () => {
    const { page, errors, context } = await openPage(browser);
    await signIn(page, 'admin');
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('link', { name: 'Workflows' }).click();
    await page.getByRole('link', { name: 'Executive Sponsor Meeting' }).click();
    await page.getByRole('heading', { name: 'Executive Sponsor Meeting' }).waitFor();

    const title = page.getByLabel('Step 1 title');
    const before = await title.inputValue();
    await title.fill(NEW_TITLE);
    // The diff and the preview follow the draft before anything is saved.
    await page.locator('.definition-diff del', { hasText: before }).waitFor();
    await page.locator('.definition-diff ins', { hasText: NEW_TITLE }).waitFor();
    await page.getByRole('list', { name: 'Steps as a CSM sees them' }).getByText(NEW_TITLE).waitFor();
    await page.getByLabel(/What changed/).fill('Meet the executive before the sponsor');
    await screenshot(page, 'admin-workflow-editor');
    await page.getByRole('button', { name: /Save as version 2/ }).click();
    await page.getByText('Saved as version 2.', { exact: false }).waitFor();
    await signOut(page);

    const core = await withDb(async (db) => (await db.query<{ title: string }>(
      `select v.config -> 'steps' -> 0 ->> 'title' as title from app.workflows w join app.workflow_versions v on v.workflow_id = w.id
        where w.org_id is null and w.key = $1 and v.version = w.current_version`, [KEY])).rows[0]!.title);
    expect(core).toBe(before);

    // The CSM opens the workflow for a customer of theirs (as an integration would) and works it in the browser.
    const me = await rpcAs<{ id: string; org_id: string }>('csm', 'get_my_profile');
    customerId = await withDb(async (db) => (await db.query<{ id: string }>(
      `insert into app.customers (org_id, name, arr, health_score, assigned_to) values ($1, 'Admin E2E Co', 120000, 70, $2) returning id`,
      [me.data.org_id, me.data.id])).rows[0]!.id);
    const opened = await rpcAs<{ id: string }>('csm', 'create_workflow_execution', { customer_id: customerId, workflow_key: KEY });
    await signIn(page, 'csm');
    await page.goto(`${webUrl()}/workflows/${opened.data.id}`);
    await page.getByText(NEW_TITLE).first().waitFor();
    await screenshot(page, 'admin-workflow-csm-sees-new-step');
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
