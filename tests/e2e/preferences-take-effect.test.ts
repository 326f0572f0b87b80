// Every preference changes what the person sees: the theme before the first paint, desktop
// notifications after the browser's permission, the collapsible customer panel, and whether
// completing a step opens the next one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { rpcAs } from './support/api.ts';
import { launch, openPage, signIn, webUrl } from './support/browser.ts';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => {
  if (browser) {
    await rpcAs('juniorCsm', 'update_user_preferences', {
      changes: { ui: { theme: 'light', sidebarCollapsed: false }, notifications: { desktopNotifications: false }, workflow: { autoAdvanceSteps: false } },
    });
  }
  await browser?.close();
});

interface QueuePage { items: { execution_id: string; status: string; customer: { id: string; name: string } }[] }

describe('preferences take effect', () => {
  it('paint the dark theme before the app script has run', async () => {
    await rpcAs('juniorCsm', 'update_user_preferences', { changes: { ui: { theme: 'dark' } } });
    const { page, context } = await openPage(browser);
    await signIn(page, 'juniorCsm'); // the app caches the ui preferences for the next load
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('dark');
    // Hold every script bundle: what shows now is what the first paint shows.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => { release = resolve; });
    await page.route('**/assets/*.js', async (route) => { await held; await route.continue(); });
    await page.goto(`${webUrl()}/`, { waitUntil: 'commit' });
    await page.waitForFunction(() => document.body !== null);
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    release();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await rpcAs('juniorCsm', 'update_user_preferences', { changes: { ui: { theme: 'light' } } });
    await context.close();
  }, 90_000);

  it('show a desktop notification for a new task once the browser allows it', async () => {
    const { page, context, errors } = await openPage(browser);
    // A stand-in for the browser's Notification that records what Renubu shows.
    await context.addInitScript(() => {
      const shown: { title: string; body?: string }[] = [];
      (window as unknown as { shownNotifications: typeof shown }).shownNotifications = shown;
      class RecordingNotification {
        // The browser remembers a granted permission across reloads; so does this stand-in.
        static permission = sessionStorage.getItem('notification-permission') ?? 'default';
        static requestPermission() {
          sessionStorage.setItem('notification-permission', 'granted');
          RecordingNotification.permission = 'granted';
          return Promise.resolve('granted');
        }
        onclick: (() => void) | null = null;
        constructor(title: string, options?: { body?: string }) { shown.push({ title, body: options?.body }); }
        close() { /* nothing to close */ }
      }
      (window as unknown as { Notification: unknown }).Notification = RecordingNotification;
    });
    await signIn(page, 'juniorCsm');
    await page.getByRole('link', { name: 'Preferences' }).click();
    await page.getByRole('checkbox', { name: /desktop notifications/ }).check();
    await page.getByText('Desktop notifications saved.').waitFor();

    const me = await rpcAs<{ id: string }>('juniorCsm', 'get_my_profile');
    const queue = await rpcAs<QueuePage>('juniorCsm', 'get_workflow_queue', { page_size: 1 });
    const title = `Call back about seats ${Date.now()}`;
    const task = await rpcAs<{ id: string }>('manager', 'create_task', { title, customer_id: queue.data.items[0]!.customer.id, assigned_to: me.data.id });
    expect(task.status).toBe(200);

    // The bell checks on load (and every 30 s): a reload stands in for the wait.
    await page.reload();
    await expect.poll(() => page.evaluate(() => (window as unknown as { shownNotifications: { title: string }[] }).shownNotifications.map((n) => n.title)), { timeout: 15_000 })
      .toContain(`New task: ${title}`);
    // Shown once: another reload does not repeat it.
    await page.reload();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (window as unknown as { shownNotifications: unknown[] }).shownNotifications.length)).toBe(0);
    await rpcAs('manager', 'delete_task', { task_id: task.data.id });
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  it('collapse the customer panel beside a workflow and keep it collapsed', async () => {
    const { page, context, errors } = await openPage(browser, { width: 1440, height: 1000 });
    await signIn(page, 'juniorCsm');
    const queue = await rpcAs<QueuePage>('juniorCsm', 'get_workflow_queue', { page_size: 1 });
    await page.goto(`${webUrl()}/workflows/${queue.data.items[0]!.execution_id}`);
    const panel = page.getByRole('complementary', { name: 'Customer context' });
    await panel.waitFor();
    await page.getByRole('button', { name: 'Hide customer context' }).click();
    await expect.poll(() => panel.count()).toBe(0);
    const stored = await rpcAs<{ ui: { sidebarCollapsed: boolean } }>('juniorCsm', 'get_user_preferences');
    expect(stored.data.ui.sidebarCollapsed).toBe(true);
    await page.reload();
    await page.getByRole('button', { name: 'Show customer context' }).waitFor();
    expect(await panel.count()).toBe(0);
    await page.getByRole('button', { name: 'Show customer context' }).click();
    await panel.waitFor();
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  it('open the next step on completion only with auto-advance', async () => {
    const queue = await rpcAs<QueuePage>('juniorCsm', 'get_workflow_queue', { page_size: 50 });
    const queued = queue.data.items.filter((item) => item.status === 'queued').at(-1);
    expect(queued, 'the junior CSM has a queued workflow in the demo data').toBeTruthy();
    const { page, context, errors } = await openPage(browser, { width: 1440, height: 1000 });
    await signIn(page, 'juniorCsm');
    await page.goto(`${webUrl()}/workflows/${queued!.execution_id}`);
    await page.getByRole('button', { name: 'Start workflow' }).click();
    const stepTitle = page.locator('#step-title');
    const first = await stepTitle.textContent();

    // Off (the default): the finished step stays open, with a way on.
    await page.getByRole('button', { name: 'Complete step' }).click();
    const onward = page.getByRole('button', { name: /Go to the next step/ });
    await onward.waitFor();
    expect(await stepTitle.textContent()).toBe(first);
    await onward.click();
    const second = await stepTitle.textContent();
    expect(second).not.toBe(first);

    // On: completing moves straight to the next step.
    await rpcAs('juniorCsm', 'update_user_preferences', { changes: { workflow: { autoAdvanceSteps: true } } });
    await page.reload();
    await expect.poll(() => stepTitle.textContent()).toBe(second);
    await page.getByRole('button', { name: 'Complete step' }).click();
    await expect.poll(() => stepTitle.textContent()).not.toBe(second);
    expect(await onward.count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);
});
