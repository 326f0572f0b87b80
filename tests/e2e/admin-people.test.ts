// Admin → People in the browser: Ada (admin) invites a CSM; the invitation arrives in the
// local mail catcher; the CSM opens its link, chooses a password on /set-password and is
// in the workspace, signed in as themselves, in Ada's organisation.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { seriousViolations } from './support/axe.ts';
import { launch, openPage, screenshot, signIn, signOut, webUrl } from './support/browser.ts';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

function mailUrl(): string {
  const url = process.env.RENUBU_MAIL_URL;
  if (!url) throw new Error('RENUBU_MAIL_URL is not set: run the suite with `npm test`.');
  return url;
}

describe('admin people', () => {
  it('an admin invites a CSM who opens the mailed link, sets a password and signs in', async () => {
    const email = `nina.${randomUUID().slice(0, 8)}@acme.test`;
    const { page, errors, context } = await openPage(browser);
    await signIn(page, 'admin');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { name: 'People' }).waitFor();
    await page.getByRole('table', { name: 'People' }).getByText('Sam Senior').waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Invite a person' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite a person' });
    await dialog.getByLabel('Full name').fill('Nina Newcomer');
    await dialog.getByLabel('Email').fill(email);
    await dialog.getByLabel('Role').selectOption('csm');
    await dialog.getByLabel('Manager').selectOption({ label: 'Maria Manager' });
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByText(`Invitation sent to ${email}.`).waitFor();
    await page.getByRole('table', { name: 'People' }).getByRole('row').filter({ hasText: 'Nina Newcomer' }).getByText('Invited').waitFor();
    await screenshot(page, 'admin-people');
    await signOut(page);

    // The mail catcher, as a newcomer on the local stack opens it.
    await page.goto(mailUrl());
    const mail = page.getByRole('article').filter({ hasText: email });
    await mail.waitFor();
    // The mail's long link wraps in its text: before, the page scrolled 115 px sideways at 1280 px.
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(sideways, 'the mail page scrolls sideways').toBe(0);
    // It says who invited them to which organisation (supabase/templates/invite.html).
    await mail.getByText('Ada Admin invited you to join Acme Cloud on Renubu', { exact: true }).waitFor();
    await mail.getByRole('link').first().click();

    await page.getByRole('heading', { name: 'Welcome — choose your password' }).waitFor();
    // The session came in the address's fragment, which the page removed at once.
    expect(page.url()).toBe(`${webUrl()}/set-password`);
    await page.getByLabel('New password').fill('nina picked this');
    await page.getByLabel('Repeat it').fill('nina picked this');
    await page.getByRole('button', { name: 'Save and open Renubu' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.locator('.who-name', { hasText: 'Nina Newcomer' }).waitFor();
    // A CSM sees no Admin link.
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).count()).toBe(0);

    // And signs in again with that password.
    await signOut(page);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('nina picked this');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.locator('.who-name', { hasText: 'Nina Newcomer' }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  it('an admin sends a pending invitation again, then revokes it after being asked, and the row leaves People', async () => {
    const email = `rex.${randomUUID().slice(0, 8)}@acme.test`;
    const { page, errors, context } = await openPage(browser);
    await signIn(page, 'admin');
    await page.goto(`${webUrl()}/admin/people`);
    await page.getByRole('button', { name: 'Invite a person' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite a person' });
    await dialog.getByLabel('Full name').fill('Rex Revoked');
    await dialog.getByLabel('Email').fill(email);
    await dialog.getByLabel('Role').selectOption('csm');
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByText(`Invitation sent to ${email}.`).waitFor();

    const row = page.getByRole('table', { name: 'People' }).getByRole('row').filter({ hasText: 'Rex Revoked' });
    expect(await row.getByRole('button', { name: 'Edit Rex Revoked' }).count()).toBe(0);
    await row.getByRole('button', { name: 'Resend the invitation to Rex Revoked' }).click();
    await page.getByText(`Invitation sent again to ${email}.`).waitFor();
    // On a phone the row's two buttons stay inside the table's own scroller: the page never scrolls sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    await row.getByRole('button', { name: 'Revoke the invitation of Rex Revoked' }).click();
    const asking = page.getByRole('alert').filter({ hasText: 'Revoke the invitation of Rex Revoked' });
    await asking.getByRole('button', { name: 'Revoke the invitation' }).click();
    await page.getByText(`The invitation of ${email} is revoked: its link no longer works.`).waitFor();
    await row.waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);
});
