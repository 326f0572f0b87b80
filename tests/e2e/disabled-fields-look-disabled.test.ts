// A field that cannot be changed looks it. A manager opening an admin on Admin → People gets
// every field disabled (only admins change an admin); the selects were greyed by the browser,
// but the Title box kept the app's dark text on white (`input { color: var(--text) }`), so it
// looked editable, took no typing, and had no Save beside it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, openPage, screenshot, signIn, webUrl } from './support/browser.ts';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

describe('a disabled field', () => {
  it('is drawn as disabled, unlike a field that takes typing', async () => {
    const { page, errors } = await openPage(browser);
    await signIn(page, 'manager');
    await page.goto(`${webUrl()}/admin/people`);
    await page.getByRole('button', { name: 'View Ada Admin' }).click();
    const dialog = page.getByRole('dialog');
    const title = dialog.getByLabel('Title');
    expect(await title.isDisabled()).toBe(true);
    const look = (selector: string) => page.locator(selector).first().evaluate((node) => {
      const style = getComputedStyle(node);
      return { color: style.color, background: style.backgroundColor };
    });
    const disabledTitle = await look('[role="dialog"] input[name="title"]');
    const disabledSelect = await look('[role="dialog"] select[name="experience_level"]');
    await screenshot(page, 'disabled-title-field');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Edit Sam Senior' }).click();
    expect(await dialog.getByLabel('Title').isDisabled()).toBe(false);
    const enabledTitle = await look('[role="dialog"] input[name="title"]');
    expect(disabledTitle.color, 'its text is dimmed').not.toBe(enabledTitle.color);
    expect(disabledTitle.background, 'its box is shaded').not.toBe(enabledTitle.background);
    expect(disabledTitle, 'as a disabled list beside it is').toEqual(disabledSelect);
    expect(errors).toEqual([]);
  }, 60_000);
});
