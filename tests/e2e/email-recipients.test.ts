// Whom a drafted email goes to is read before it is approved, at every width: the draft card
// lists To and Cc one address a line, in full, and marks each address the customer's records
// do not know ("not a known contact of …") above Approve — the assistant writes the
// recipients of its drafts, so one of them may be a look-alike. Schedule Meeting offers the
// customer's stakeholders as attendees to tick.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, openPage, screenshot, signIn, webUrl } from './support/browser.ts';
import { rpcAs } from './support/api.ts';
import { freshCustomerNamed } from '../support/fresh-work.ts';
import { signedInAs, withDb } from '../support/stack.ts';

const E2E_TIMEOUT = 120_000;
const WIDTHS = [390, 768, 1280];
let browser: Browser;
let executionId: string;
let customerName: string;

/** A customer of Sam's at mail domain recipients.example, its champion Olivia, a Risk Intervention started on it. */
async function workflowWithStakeholder(): Promise<{ executionId: string; name: string }> {
  const customer = await freshCustomerNamed('Recipients Co');
  await withDb(async (db) => {
    await db.query(`update app.customers set domain = 'recipients.example' where id = $1`, [customer.id]);
    await db.query(`insert into app.stakeholders (org_id, customer_id, name, email, title, is_champion)
                    select org_id, id, 'Olivia Sato', 'olivia.sato@recipients.example', 'VP Operations', true from app.customers where id = $1`, [customer.id]);
  });
  const sam = await signedInAs('csm');
  const created = await sam.rpc('create_workflow_execution', { customer_id: customer.id, workflow_key: 'risk-intervention' });
  if (created.error) throw new Error(`create_workflow_execution: ${created.error.message}`);
  const id = (created.data as { id: string }).id;
  const started = await sam.rpc('start_workflow', { execution_id: id });
  if (started.error) throw new Error(`start_workflow: ${started.error.message}`);
  return { executionId: id, name: customer.name };
}

async function noSidewaysScroll(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

beforeAll(async () => {
  browser = await launch();
  ({ executionId, name: customerName } = await workflowWithStakeholder());
  // Written by the manager (Acme asks someone other than the author to approve), to the champion and a look-alike.
  const draft = await rpcAs('manager', 'create_artifact', {
    execution_id: executionId, artifact_type: 'email_draft', title: 'Your renewal',
    content: { to: ['olivia.sato@recipients.example', 'accounts-payable@recipients-billing.example'], cc: ['finance.team.lead@another-company.example'], subject: 'Your renewal', body: 'Hello Olivia' },
  });
  expect(draft.status).toBe(200);
}, E2E_TIMEOUT);
afterAll(async () => { await browser?.close(); });

describe('an email draft\'s recipients', () => {
  for (const width of WIDTHS) {
    it(`are listed in full, the unknown ones flagged above Approve, at ${width} px`, async () => {
      const { page, errors, context } = await openPage(browser, { width, height: 900 });
      try {
        await signIn(page, 'csm');
        await page.goto(`${webUrl()}/workflows/${executionId}`);
        const card = page.getByTestId('artifact-card').filter({ hasText: 'Your renewal' }).first();
        const to = card.getByRole('list', { name: 'To' });
        await to.waitFor();
        expect(await to.getByRole('listitem').allInnerTexts()).toEqual([
          'olivia.sato@recipients.example',
          expect.stringMatching(/^accounts-payable@recipients-billing\.example\s*⚠ not a known contact of Recipients Co/),
        ]);
        expect(await card.getByRole('list', { name: 'Cc' }).getByRole('listitem').innerText()).toMatch(/^finance\.team\.lead@another-company\.example\s*⚠ not a known contact of /);
        const warning = card.getByTestId('unknown-recipients-warning');
        expect(await warning.innerText()).toBe(`2 recipients are not known contacts of ${customerName}. Check them before you approve.`);
        const approve = card.getByRole('button', { name: 'Approve' });
        const [flag, warned, button, box] = await Promise.all([
          card.getByTestId('recipient-unknown').first().boundingBox(), warning.boundingBox(), approve.boundingBox(), card.boundingBox(),
        ]);
        await screenshot(page, `email-recipients-${width}`);
        expect(warned!.y, 'the warning above Approve').toBeLessThan(button!.y);
        expect(flag!.y, 'the flagged address above Approve').toBeLessThan(button!.y);
        expect(flag!.x + flag!.width, 'the flag inside the card').toBeLessThanOrEqual(box!.x + box!.width + 0.5);
        expect(await noSidewaysScroll(page)).toBeLessThanOrEqual(0);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    }, E2E_TIMEOUT);
  }
});

describe('Schedule Meeting', () => {
  it('offers the customer\'s stakeholders to tick as attendees, at 390 px', async () => {
    const { page, errors, context } = await openPage(browser, { width: 390, height: 844 });
    try {
      await signIn(page, 'csm');
      await page.goto(`${webUrl()}/workflows/${executionId}`);
      await page.getByRole('button', { name: 'Schedule Meeting' }).click();
      const dialog = page.getByRole('dialog');
      const olivia = dialog.getByRole('checkbox', { name: /Olivia Sato/ });
      expect(await dialog.getByRole('group', { name: `Stakeholders of ${customerName}` }).innerText()).toContain('olivia.sato@recipients.example');
      await olivia.check();
      expect(await dialog.getByLabel(/^Attendees/).inputValue()).toBe('olivia.sato@recipients.example');
      await screenshot(page, 'meeting-stakeholders-390');
      expect(await noSidewaysScroll(page)).toBeLessThanOrEqual(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, E2E_TIMEOUT);
});
