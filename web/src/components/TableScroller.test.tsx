// @vitest-environment happy-dom
// The frame of a wide table says which side has more columns (a pixel of rounding is not
// "more"), and is a named, focusable region so a keyboard can scroll it; a table too wide even
// set tighter stacks its rows, each cell naming its column.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { labelCells, nextSpacing, overflowOf, TableScroller } from './TableScroller.tsx';

afterEach(cleanup);

describe('a wide table\'s frame', () => {
  it('knows which side has columns out of view', () => {
    expect(overflowOf({ scrollLeft: 0, scrollWidth: 900, clientWidth: 360 })).toEqual({ left: false, right: true });
    expect(overflowOf({ scrollLeft: 270, scrollWidth: 900, clientWidth: 360 })).toEqual({ left: true, right: true });
    expect(overflowOf({ scrollLeft: 540, scrollWidth: 900, clientWidth: 360 })).toEqual({ left: true, right: false });
    expect(overflowOf({ scrollLeft: 0, scrollWidth: 361, clientWidth: 360 })).toEqual({ left: false, right: false });
  });

  it('sets a table that does not fit tighter, then stacks its rows, and tries the normal spacing again in a wider frame', () => {
    const normal = { layout: 'normal', width: null } as const;
    const fits = { left: false, right: false };
    const more = { left: false, right: true };
    expect(nextSpacing(normal, 794, fits)).toEqual(normal);
    const tight = nextSpacing(normal, 794, more);
    expect(tight).toEqual({ layout: 'tight', width: 794 });
    // Fitting at tight spacing says nothing about the normal one: it stays tight at that width…
    expect(nextSpacing(tight, 794, fits)).toBe(tight);
    // …and narrower (a page scrollbar appeared), where the normal spacing cannot fit either…
    expect(nextSpacing(tight, 779, fits)).toBe(tight);
    // …while a wider frame (the window grew) measures the normal spacing again.
    expect(nextSpacing(tight, 1318, fits)).toEqual(normal);
    // Too wide even tight (a phone): its rows stack, and stay stacked however narrow…
    const stacked = nextSpacing(tight, 358, more);
    expect(stacked).toEqual({ layout: 'stacked', width: 358 });
    expect(nextSpacing(stacked, 358, fits)).toBe(stacked);
    expect(nextSpacing(stacked, 320, more)).toBe(stacked);
    // …until the frame is wider than it was then.
    expect(nextSpacing(stacked, 744, fits)).toEqual(normal);
  });

  it('names each body cell\'s column on it and states the table\'s roles, for its rows once stacked', () => {
    const table = document.createElement('table');
    table.innerHTML = '<thead><tr><th scope="col"></th><th scope="col">Customer</th><th scope="col">ARR</th><th aria-label="Actions"></th></tr></thead>'
      + '<tbody><tr><td><input type="checkbox"></td><th scope="row">Acme</th><td>$10K</td><td><button>Edit</button></td></tr><tr><td colspan="4">No more</td></tr></tbody>';
    labelCells(table);
    const [first, second] = table.querySelectorAll('tbody tr');
    expect([...first!.children].map((cell) => [cell.getAttribute('role'), cell.getAttribute('data-label')]))
      .toEqual([['cell', null], ['rowheader', null], ['cell', 'ARR'], ['cell', 'Actions']]);
    expect(second!.children[0]!.getAttribute('data-label')).toBeNull();
    expect(table.getAttribute('role')).toBe('table');
    expect(table.querySelectorAll('thead th')[1]!.getAttribute('role')).toBe('columnheader');
    expect(table.querySelector('tbody')!.getAttribute('role')).toBe('rowgroup');
  });

  // A tablet has room for a table, not a pile of cards: a table with a compact layout of its
  // own (the queue's two lines a row, its stylesheet's [data-compact]) is set so before its
  // rows are stacked, which is left for a frame too narrow even for that (a phone).
  it('tries a table\'s compact layout between tight and stacked, when it has one', () => {
    const more = { left: false, right: true };
    const fits = { left: false, right: false };
    const tight = { layout: 'tight', width: 742 } as const;
    expect(nextSpacing(tight, 742, more)).toEqual({ layout: 'stacked', width: 742 });
    const compact = nextSpacing(tight, 742, more, { compact: true });
    expect(compact).toEqual({ layout: 'compact', width: 742 });
    expect(nextSpacing(compact, 742, fits, { compact: true })).toBe(compact);
    expect(nextSpacing(compact, 368, more, { compact: true })).toEqual({ layout: 'stacked', width: 368 });
    expect(nextSpacing(compact, 1258, fits, { compact: true })).toEqual({ layout: 'normal', width: null });
  });

  // A frame is measured twice for one drawing (the layout's effect, and the resize observer's
  // first call): the second measurement, of the tight table already judged too wide, took the
  // queue past its compact layout straight to stacked cards at 820 px.
  it('takes no step on a measurement of a layout it has left already', () => {
    const more = { left: false, right: true };
    const compact = { layout: 'compact', width: 794 } as const;
    expect(nextSpacing(compact, 794, more, { compact: true, drawn: 'tight' })).toBe(compact);
    expect(nextSpacing(compact, 794, more, { compact: true, drawn: 'compact' })).toEqual({ layout: 'stacked', width: 794 });
  });

  it('is a named region a keyboard can focus, with the table inside', () => {
    render(<TableScroller label="People"><table><tbody><tr><td>Sam</td></tr></tbody></table></TableScroller>);
    const region = screen.getByRole('region', { name: 'People, scrolls sideways' });
    expect(region.getAttribute('tabindex')).toBe('0');
    expect(region.querySelector('table')).toBeTruthy();
  });
});
