// Phone (390), tablet (768, 820) and laptop (1280, 1440) widths: every top-bar link is in
// view (the links wrap, none is clipped or scrolled out of sight) for each role, and on a phone
// the bar scrolls away with the page rather than keep a third of the screen; every table
// fits its frame or scrolls by more than its shadow (never a near-fit whose last column sits
// under it); a table that does not fit its frame even set tighter reads as stacked rows (each
// a card whose cells name their columns), so on a phone no list scrolls sideways or hides a
// cell, and a queue row's every control is 44 px tall — never by scrolling the page sideways.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, openPage, screenshot, signIn, webUrl } from './support/browser.ts';

const E2E_TIMEOUT = 120_000;
const PHONE = { width: 390, height: 844 };

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

/** Top-bar links not fully in view: outside the window, or clipped by the bar. */
function hiddenNavLinks(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const nav = document.querySelector<HTMLElement>('nav[aria-label="Main"]')!;
    const bar = nav.getBoundingClientRect();
    const problems: string[] = [];
    if (nav.scrollWidth > nav.clientWidth + 1) problems.push(`the bar scrolls by ${nav.scrollWidth - nav.clientWidth} px`);
    for (const link of nav.querySelectorAll('a')) {
      const box = link.getBoundingClientRect();
      if (box.width === 0 || box.left < -0.5 || box.right > window.innerWidth + 0.5 || box.left < bar.left - 0.5 || box.right > bar.right + 0.5) {
        problems.push(`${link.textContent} at ${Math.round(box.left)}–${Math.round(box.right)}`);
      }
    }
    return problems;
  });
}

/** The least a table scrolls by: less would leave its last column peeking out under the shadow (22 px) rather than scrolled to. */
const MIN_SCROLL = 48;

interface FrameFit { label: string; overflow: number; cue: boolean; lastClearAtEnd: boolean }

/** Every table frame in view: how far it scrolls, whether it says so, and whether its last column ends up inside the frame with no shadow over it. */
function frameFits(page: Page): Promise<FrameFit[]> {
  return page.evaluate(async () => {
    const frames = [...document.querySelectorAll<HTMLElement>('main .table-scroller')].filter((frame) => frame.offsetParent !== null);
    const results = [];
    for (const frame of frames) {
      const wrap = frame.querySelector<HTMLElement>('.table-wrap')!;
      const overflow = wrap.scrollWidth - wrap.clientWidth;
      const cue = frame.dataset.moreRight !== undefined && Boolean(frame.querySelector('.table-hint'));
      wrap.scrollLeft = wrap.scrollWidth;
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      const row = wrap.querySelector('tbody tr') ?? wrap.querySelector('tr')!;
      const box = wrap.getBoundingClientRect();
      const last = row.lastElementChild!.getBoundingClientRect();
      results.push({
        label: wrap.getAttribute('aria-label') ?? '?',
        overflow,
        cue,
        lastClearAtEnd: last.right <= box.right + 1 && frame.dataset.moreRight === undefined,
      });
      wrap.scrollLeft = 0;
    }
    return results;
  });
}

/** Body cells of a shown table that are not shown (display none, or no size while holding text). */
function hiddenCells(page: Page): Promise<string[]> {
  return page.evaluate(() => [...document.querySelectorAll<HTMLElement>('main table tbody :is(td, th)')]
    .filter((cell) => !cell.closest('details:not([open])') && cell.closest('table')!.getClientRects().length > 0)
    .filter((cell) => getComputedStyle(cell).display === 'none' || (cell.textContent?.trim() && cell.getBoundingClientRect().width < 1))
    .map((cell) => `${cell.closest('table')?.className}: ${cell.textContent?.trim().slice(0, 30)}`));
}

/** Shown tables whose rows are not stacked cards (a table's own layout). */
function stackedTables(page: Page): Promise<string[]> {
  return page.evaluate(() => [...document.querySelectorAll<HTMLElement>('main .table-scroller table')]
    .filter((table) => table.getClientRects().length > 0 && getComputedStyle(table).display === 'table')
    .map((table) => table.closest('.table-scroller')?.querySelector('.table-wrap')?.getAttribute('aria-label') ?? table.className));
}

/** Body cells holding text whose column is not named on them (a row's key cell, .col-key else its first, is its heading). */
function unnamedCells(page: Page): Promise<string[]> {
  return page.evaluate(() => [...document.querySelectorAll<HTMLElement>('main .table-scroller tbody td')]
    .filter((cell) => cell.getClientRects().length > 0 && cell.textContent?.trim() && !cell.classList.contains('col-key'))
    .filter((cell) => cell.closest('tr')!.querySelector(':scope > .col-key') !== null || cell !== cell.closest('tr')!.firstElementChild)
    .filter((cell) => !cell.dataset.label || getComputedStyle(cell, '::before').display === 'none')
    .map((cell) => `${cell.closest('table')?.className}: ${cell.textContent?.trim().slice(0, 30)}`));
}

/** Card headings (a row's key cell: .col-key, else its first) that show their column's name over the name they are. */
function labelledHeadings(page: Page): Promise<string[]> {
  return page.evaluate(() => [...document.querySelectorAll<HTMLElement>('main .table-scroller[data-stacked] tbody tr')]
    .map((row) => row.querySelector<HTMLElement>(':scope > .col-key') ?? row.firstElementChild as HTMLElement | null)
    .filter((cell): cell is HTMLElement => cell !== null && cell.getClientRects().length > 0)
    .filter((cell) => !['none', 'normal'].includes(getComputedStyle(cell, '::before').content))
    .map((cell) => `${cell.closest('table')?.className}: ${cell.dataset.label} over ${cell.textContent?.trim().slice(0, 20)}`));
}

function pageOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

describe('phone and tablet widths', () => {
  for (const person of ['admin', 'manager', 'csm', 'viewer'] as const) {
    it(`every top-bar link of a ${person} is in view at 390, 820 and 1440 px`, async () => {
      const { page, errors, context } = await openPage(browser, { width: 1440, height: 900 });
      try {
        await signIn(page, person);
        await page.goto(`${webUrl()}/preferences`);
        await page.locator('main h1').first().waitFor();
        for (const width of [390, 820, 1440]) {
          await page.setViewportSize({ width, height: width > 500 ? 1000 : 844 });
          await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
          expect(await hiddenNavLinks(page), `${person} at ${width} px`).toEqual([]);
          if (person === 'manager' && width === 820) await screenshot(page, 'nav-manager-820');
        }
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    }, E2E_TIMEOUT);
  }

  for (const [person, paths] of [
    ['admin', ['/team', '/customers', '/forecast', '/admin/people', '/admin/audit', '/admin/integrations', '/admin/workflows']],
    ['csm', ['/queue', '/customers']],
  ] as const) {
    it(`every table of a ${person} fits its frame at 390, 820 and 1440 px, or scrolls far enough to reach its last column clear of the shadow`, async () => {
      const { page, errors, context } = await openPage(browser, { width: 1440, height: 900 });
      try {
        await signIn(page, person);
        for (const path of paths) {
          await page.goto(`${webUrl()}${path}`);
          if (path === '/forecast') await page.getByText('Month by month').click();
          await page.locator('main table, main .state-empty').first().waitFor(); // the audit log may be empty
          for (const width of [1440, 820, 390]) {
            await page.setViewportSize({ width, height: width > 500 ? 1000 : 844 });
            await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(resolve)))));
            for (const frame of await frameFits(page)) {
              const where = `${path} at ${width} px: ${frame.label} scrolls by ${frame.overflow} px`;
              if (frame.overflow <= 1) continue;
              expect(frame.overflow, `${where}: it almost fits, and should`).toBeGreaterThanOrEqual(MIN_SCROLL);
              expect(frame, where).toEqual({ ...frame, cue: true, lastClearAtEnd: true });
            }
          }
          await page.setViewportSize({ width: 1440, height: 900 });
        }
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    }, E2E_TIMEOUT);
  }

  it('on a phone the top bar scrolls away with the page instead of covering it; wider, it stays on top', async () => {
    const { page, errors, context } = await openPage(browser, PHONE);
    try {
      await signIn(page, 'manager');
      await page.goto(`${webUrl()}/customers`);
      await page.locator('main table').first().waitFor();
      const barAfterScrolling = async () => {
        await page.evaluate(() => window.scrollTo(0, 600));
        await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
        return page.evaluate(() => {
          const box = document.querySelector('.topbar')!.getBoundingClientRect();
          return { scrolled: window.scrollY, onScreen: Math.max(0, Math.min(box.bottom, window.innerHeight) - Math.max(box.top, 0)) };
        });
      };
      const phone = await barAfterScrolling();
      expect(phone.scrolled, 'the page is long enough to scroll').toBeGreaterThan(200);
      expect(phone.onScreen, 'px of a phone screen the bar keeps once scrolled').toBe(0);
      await page.evaluate(() => window.scrollTo(0, 0));
      expect(await hiddenNavLinks(page), 'every link in view at the top').toEqual([]);

      await page.setViewportSize({ width: 1440, height: 600 });
      await page.goto(`${webUrl()}/customers`);
      await page.locator('main table').first().waitFor();
      expect((await barAfterScrolling()).onScreen, 'a laptop keeps the bar on top').toBeGreaterThanOrEqual(56);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, E2E_TIMEOUT);

  // Signing in puts the focus on the page's content (AppShell's focusOnOpen), which scrolled a
  // phone past its top bar: a CSM opened Renubu 145 px down, the links out of sight.
  it('on a phone the workspace a sign-in opens starts at its top, the top bar in view, the focus on its content', async () => {
    const { page, errors, context } = await openPage(browser, PHONE);
    try {
      await signIn(page, 'csm');
      await page.getByTestId('queue-row').first().waitFor();
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      const where = await page.evaluate(() => ({ scrolled: window.scrollY, focused: document.activeElement?.id ?? '' }));
      expect(where).toEqual({ scrolled: 0, focused: 'main' });
      expect(await hiddenNavLinks(page), 'every link in view').toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, E2E_TIMEOUT);

  it('a manager reaches People from the top bar', async () => {
    const { page, errors, context } = await openPage(browser, PHONE);
    try {
      await signIn(page, 'manager');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People' }).click();
      await page.getByRole('heading', { name: 'People', level: 1 }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/admin/people');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, E2E_TIMEOUT);

  // A table that does not fit its frame, even set tighter, reads as stacked rows: each row a
  // card, each cell naming its column, nothing scrolling sideways and no cell hidden (before,
  // the queue scrolled 314 px inside its frame at 390 px and hid its priority and plan, the
  // customers list hid its plan and CSM, the forecast's and People's tables scrolled).
  for (const [person, pages] of [
    ['csm', [['/queue', '[data-testid=queue-row]'], ['/customers', '[data-testid=customer-row]']]],
    ['manager', [['/forecast', '[data-testid=forecast-item]'], ['/team', 'main table'], ['/admin/people', 'main table']]],
  ] as const) {
    it(`every list of a ${person} reads as stacked rows at 390 px, none scrolls sideways or hides a cell, at 768 and 1280 px either`, async () => {
      const { page, errors, context } = await openPage(browser, { width: 1280, height: 900 });
      try {
        await signIn(page, person);
        for (const [path, ready] of pages) {
          await page.goto(`${webUrl()}${path}`);
          await page.locator(ready).first().waitFor();
          if (path === '/forecast') await page.getByText('Month by month').click();
          for (const width of [1280, 768, 390]) {
            await page.setViewportSize({ width, height: width > 500 ? 1000 : 844 });
            await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(resolve)))));
            const where = `${path} at ${width} px`;
            expect(await pageOverflow(page), `${where}: the page scrolls sideways`).toBeLessThanOrEqual(0);
            expect(await hiddenCells(page), `${where}: cells hidden`).toEqual([]);
            expect((await frameFits(page)).filter((frame) => frame.overflow > 1).map((frame) => `${frame.label}: ${frame.overflow} px`), `${where}: tables scrolling sideways`).toEqual([]);
            if (width === 390) {
              expect(await stackedTables(page), `${where}: tables not stacked`).toEqual([]);
              expect(await unnamedCells(page), `${where}: cells that do not name their column`).toEqual([]);
              expect(await labelledHeadings(page), `${where}: cards headed by their column's name ("Person" over Sam Senior)`).toEqual([]);
              await screenshot(page, `phone-list${path.replace(/\//g, '-')}`);
            }
          }
        }
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    }, E2E_TIMEOUT);
  }

  for (const width of [390, 768]) {
    it(`at ${width} px a queue row shows its customer, workflow, lane, priority, stage, plan, ARR and decision, its every control 44 px tall, tick boxes and Tab order kept`, async () => {
      const { page, errors, context } = await openPage(browser, { width, height: width > 500 ? 1000 : 844 });
      try {
        await signIn(page, 'csm');
        await page.goto(`${webUrl()}/queue`);
        const row = page.locator('[data-testid=queue-row]').first();
        await row.waitFor();
        expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
        const shown = await row.evaluate((tr) => [...tr.children].map((cell) => {
          const box = cell.getBoundingClientRect();
          return { text: (cell.textContent ?? '').trim().length > 0, inside: box.width > 0 && box.left >= 0 && box.right <= window.innerWidth + 0.5 };
        }));
        expect(shown.length, 'cells: tick box, lane, priority, customer, workflow, stage, plan, ARR, decision').toBe(9);
        expect(shown.filter((cell) => !cell.inside).length, 'cells out of the window').toBe(0);
        const short = await page.locator('[data-testid=queue-row]').evaluateAll((rows) => rows.slice(0, 5).flatMap((tr) => [...tr.querySelectorAll<HTMLElement>('a, button, label.select-target')]
          .filter((control) => control.getClientRects().length > 0 && control.getBoundingClientRect().height < 44)
          .map((control) => `${control.textContent?.trim() || control.getAttribute('aria-label')}: ${Math.round(control.getBoundingClientRect().height)} px`)));
        expect(short, 'controls shorter than 44 px').toEqual([]);
        // Tab goes through a row as it reads: tick box, priority, customer, workflow.
        await row.locator('input[type=checkbox]').focus();
        const order: string[] = [];
        for (let step = 0; step < 3; step += 1) {
          await page.keyboard.press('Tab');
          order.push(await page.evaluate(() => document.activeElement?.className ?? ''));
        }
        expect(order.map((name) => name.split(' ')[0])).toEqual(['priority-score', 'customer-link', 'row-link']);
        await row.locator('label.select-target').click();
        await page.getByRole('region', { name: 'Bulk actions' }).waitFor();
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    }, E2E_TIMEOUT);
  }

  // A tablet has room for a table: the queue there is a compact one, two lines a row under a
  // header row, where it was a pile of cards 255 px each (the header out of sight) from 390 up
  // to 1 000 px. A phone keeps the cards.
  it('at 768 and 820 px the queue is a compact table: its header shown, each row two or three lines in the header\'s columns; a phone stacks it', async () => {
    const { page, errors, context } = await openPage(browser, { width: 768, height: 1024 });
    const shape = () => page.evaluate(() => {
      const header = document.querySelector<HTMLElement>('.queue-table thead th.col-key')!.getBoundingClientRect();
      const rows = [...document.querySelectorAll<HTMLElement>('[data-testid=queue-row]')].slice(0, 8);
      return {
        header: Math.round(header.width),
        tallest: Math.max(...rows.map((row) => Math.round(row.getBoundingClientRect().height))),
        customerLefts: [...new Set(rows.map((row) => Math.round(row.querySelector<HTMLElement>('td.col-key')!.getBoundingClientRect().left)))],
        headerLeft: Math.round(header.left),
      };
    });
    try {
      await signIn(page, 'csm');
      // Opened at each width (at 820 px a second measurement of one drawing skipped the compact layout).
      for (const width of [768, 820]) {
        await page.setViewportSize({ width, height: 1024 });
        await page.goto(`${webUrl()}/queue`);
        await page.locator('[data-testid=queue-row]').first().waitFor();
        // The frame tries normal, tight, then compact spacing, a measurement apart.
        await expect.poll(async () => (await shape()).header, { message: `${width} px: the header row is shown`, timeout: 5_000 }).toBeGreaterThan(40);
        const at = await shape();
        expect(at.tallest, `${width} px: px of the tallest row`).toBeLessThanOrEqual(110);
        expect(at.customerLefts, `${width} px: customers in one column, under their header`).toEqual([at.headerLeft]);
        expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
        if (width === 768) await screenshot(page, 'tablet-queue');
      }
      await page.setViewportSize(PHONE);
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(resolve)))));
      expect(await stackedTables(page), 'the queue on a phone reads as cards').toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, E2E_TIMEOUT);

  it('on a phone the Tasks tabs keep one row, their strip scrolling sideways, and the queue shows no keyboard hints (its search names no key, nor is cut off, at 820 px either); a laptop shows them', async () => {
    const { page, errors, context } = await openPage(browser, PHONE);
    try {
      await signIn(page, 'csm');
      await page.goto(`${webUrl()}/tasks`);
      await page.getByRole('tab').first().waitFor();
      const tops = await page.getByRole('tab').evaluateAll((tabs) => [...new Set(tabs.map((tab) => Math.round(tab.getBoundingClientRect().top)))]);
      expect(tops, 'one row of tabs').toHaveLength(1);
      expect(await pageOverflow(page), '/tasks scrolls sideways').toBeLessThanOrEqual(0);
      await page.goto(`${webUrl()}/queue`);
      await page.locator('[data-testid=queue-row]').first().waitFor();
      expect(await page.locator('main kbd').first().isVisible(), 'shortcut hints on a phone').toBe(false);
      // The search box's placeholder names no key and is read whole, on a phone and a tablet.
      const search = page.getByRole('searchbox', { name: 'Search the queue' });
      expect(await search.getAttribute('placeholder')).not.toMatch(/\//);
      const placeholderCut = () => search.evaluate((input: HTMLInputElement) => {
        const style = getComputedStyle(input);
        const text = document.createElement('canvas').getContext('2d')!;
        text.font = style.font;
        return text.measureText(input.placeholder).width - (input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight));
      });
      expect(await placeholderCut(), 'px of the placeholder cut off on a phone').toBeLessThanOrEqual(0);
      await page.setViewportSize({ width: 820, height: 1180 });
      expect(await placeholderCut(), 'px of the placeholder cut off on a tablet').toBeLessThanOrEqual(0);
      await page.setViewportSize({ width: 1440, height: 900 });
      expect(await page.locator('main kbd').first().isVisible(), 'shortcut hints on a laptop').toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, E2E_TIMEOUT);

  for (const [person, paths] of [
    ['csm', [['/queue', '[data-testid=queue-row]'], ['/customers', 'main table tbody tr'], ['/preferences', 'main label.check'], ['a customer', '[data-testid=customer-page] a.item-title'], ['a workflow', 'main h1 a.heading-link']]],
    ['admin', [['/team', 'main table tbody tr'], ['/admin/workflows', 'main table tbody tr'], ['/admin/actions', 'main label.check']]],
  ] as const) {
    it(`on a tablet (${person}) table links (customer, workflow, Open), row tick boxes, ticked options, a customer's workflow links and the way back are a finger's height; a laptop keeps table links a line tall`, async () => {
      const { page, errors, context } = await openPage(browser, { width: 820, height: 1180 });
      // The smallest height of each kind of target shown, by selector.
      const smallest = () => page.evaluate(() => Object.fromEntries(['main td > a', 'main .select-target', 'main label.check', 'main a.item-title', 'main .wf-crumbs a', 'main .parts-line a', 'main .row-link', 'main a.heading-link'].map((selector) => {
        const heights = [...document.querySelectorAll(selector)].map((node) => node.getBoundingClientRect().height).filter((height) => height > 0);
        return [selector, heights.length > 0 ? Math.round(Math.min(...heights)) : null];
      })));
      try {
        await signIn(page, person);
        for (const [path, ready] of paths) {
          if (path === 'a customer' || path === 'a workflow') {
            await page.goto(`${webUrl()}/queue`);
            await page.locator(`[data-testid=queue-row] a.${path === 'a customer' ? 'customer-link' : 'row-link'}`).first().click();
          } else {
            await page.goto(`${webUrl()}${path}`);
          }
          await page.locator(ready).first().waitFor();
          const tablet = await smallest();
          expect(Object.values(tablet).some((height) => height !== null), `${path}: targets found`).toBe(true);
          for (const [selector, height] of Object.entries(tablet)) {
            if (height !== null) expect(height, `${path} at 820 px: ${selector}`).toBeGreaterThanOrEqual(44);
          }
          await page.setViewportSize({ width: 1440, height: 900 });
          const laptop = await smallest();
          if (laptop['main td > a'] !== null) expect(laptop['main td > a'], `${path} at 1440 px: a table link`).toBeLessThan(30);
          await page.setViewportSize({ width: 820, height: 1180 });
        }
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    }, E2E_TIMEOUT);
  }

  it('the queue\'s renewal date sits right-aligned under its decision days at 1440 and 820 px, as a number\'s line does', async () => {
    const { page, errors, context } = await openPage(browser, { width: 1440, height: 900 });
    const offsets = () => page.locator('[data-testid=queue-row] td:last-child').evaluateAll((cells) => cells.flatMap((cell) => {
      const date = cell.querySelector('.sub .renewal-date');
      if (!date) return [];
      return [Math.round(cell.getBoundingClientRect().right - parseFloat(getComputedStyle(cell).paddingRight) - date.getBoundingClientRect().right)];
    }));
    try {
      await signIn(page, 'csm');
      await page.goto(`${webUrl()}/queue`);
      await page.locator('[data-testid=queue-row]').first().waitFor();
      for (const width of [1440, 820]) {
        await page.setViewportSize({ width, height: 900 });
        const gaps = await offsets();
        expect(gaps.length, 'rows with a renewal date').toBeGreaterThan(0);
        expect(Math.max(...gaps), `px left between a renewal date and its cell's right edge at ${width} px`).toBeLessThanOrEqual(1);
      }
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, E2E_TIMEOUT);

  it('on a phone a tick box keeps its size beside a long label (Preferences)', async () => {
    const { page, errors, context } = await openPage(browser, PHONE);
    try {
      await signIn(page, 'csm');
      await page.goto(`${webUrl()}/preferences`);
      await page.locator('main label.check').first().waitFor();
      const widths = await page.locator('main label.check input, main label.radio input').evaluateAll((boxes) => boxes.map((box) => Math.round(box.getBoundingClientRect().width)));
      expect(widths.length).toBeGreaterThan(3);
      expect(new Set(widths), `tick box widths: ${widths.join(', ')}`).toEqual(new Set([16]));
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, E2E_TIMEOUT);

  it('on a phone every control of the sign-in and password-reset pages is a finger\'s height (Forgot your password?, each demo person)', async () => {
    const { page, errors, context } = await openPage(browser, PHONE);
    const shortControls = () => page.evaluate(() => [...document.querySelectorAll<HTMLElement>('main a[href], main button, main input')]
      .filter((node) => node.offsetParent !== null && node.getBoundingClientRect().height < 40)
      .map((node) => `${node.textContent?.trim() || node.getAttribute('name')}: ${Math.round(node.getBoundingClientRect().height)} px`));
    try {
      await page.goto(`${webUrl()}/`);
      await page.getByRole('link', { name: 'Forgot your password?' }).waitFor();
      expect(await shortControls(), 'sign-in').toEqual([]);
      await page.getByRole('link', { name: 'Forgot your password?' }).click();
      await page.getByRole('link', { name: 'Back to sign in' }).waitFor();
      expect(await shortControls(), 'password reset').toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, E2E_TIMEOUT);

  it('on a phone the notifications panel fits the screen, its heading in view', async () => {
    const { page, errors, context } = await openPage(browser, PHONE);
    try {
      await signIn(page, 'csm');
      await page.locator('.bell > button').first().click();
      const panel = page.getByRole('region', { name: 'Notifications' });
      await panel.waitFor();
      const box = (await panel.boundingBox())!;
      expect(box.x, 'left edge').toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, 'right edge').toBeLessThanOrEqual(PHONE.width);
      await screenshot(page, 'phone-notifications');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, E2E_TIMEOUT);

  it('on a touch screen a row\'s link (a workflow in the queue, a customer in the list) is underlined, as no hover can show it; a laptop underlines it on hover', async () => {
    const rowLinks = (page: Page) => page.evaluate(() => [...document.querySelectorAll<HTMLElement>('main a.row-link')].slice(0, 3)
      .map((link) => getComputedStyle(link).textDecorationLine));
    const touch = await browser.newContext({ viewport: { width: 820, height: 1000 }, hasTouch: true });
    const laptop = await openPage(browser, { width: 1440, height: 900 });
    try {
      const page = await touch.newPage();
      await signIn(page, 'csm');
      for (const path of ['/queue', '/customers']) {
        await page.goto(`${webUrl()}${path}`);
        await page.locator('main a.row-link').first().waitFor();
        expect(await rowLinks(page), `${path} on a touch screen`).toEqual(['underline', 'underline', 'underline']);
      }
      await signIn(laptop.page, 'csm');
      await laptop.page.locator('main a.row-link').first().waitFor();
      expect(await rowLinks(laptop.page), 'the queue on a laptop').toEqual(['none', 'none', 'none']);
      expect(laptop.errors).toEqual([]);
    } finally {
      await touch.close();
      await laptop.context.close();
    }
  }, E2E_TIMEOUT);
});
