// @vitest-environment happy-dom
// The frame of a wide table says which side has more columns (a pixel of rounding is not
// "more"), and is a named, focusable region so a keyboard can scroll it.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { nextSpacing, overflowOf, TableScroller } from './TableScroller.tsx';

afterEach(cleanup);

describe('a wide table\'s frame', () => {
  it('knows which side has columns out of view', () => {
    expect(overflowOf({ scrollLeft: 0, scrollWidth: 900, clientWidth: 360 })).toEqual({ left: false, right: true });
    expect(overflowOf({ scrollLeft: 270, scrollWidth: 900, clientWidth: 360 })).toEqual({ left: true, right: true });
    expect(overflowOf({ scrollLeft: 540, scrollWidth: 900, clientWidth: 360 })).toEqual({ left: true, right: false });
    expect(overflowOf({ scrollLeft: 0, scrollWidth: 361, clientWidth: 360 })).toEqual({ left: false, right: false });
  });

  it('sets a table that does not fit tighter before it scrolls, and tries the normal spacing again in a wider frame', () => {
    const normal = { tight: false, width: null };
    const fits = { left: false, right: false };
    const more = { left: false, right: true };
    expect(nextSpacing(normal, 794, fits)).toEqual(normal);
    const tight = nextSpacing(normal, 794, more);
    expect(tight).toEqual({ tight: true, width: 794 });
    // Fitting at tight spacing says nothing about the normal one: it stays tight at that width…
    expect(nextSpacing(tight, 794, fits)).toBe(tight);
    expect(nextSpacing(tight, 794, more)).toBe(tight);
    // …and narrower (a page scrollbar appeared), where the normal spacing cannot fit either…
    expect(nextSpacing(tight, 779, fits)).toBe(tight);
    // …while a wider frame (the window grew) measures the normal spacing again.
    expect(nextSpacing(tight, 1318, fits)).toEqual(normal);
  });

  it('is a named region a keyboard can focus, with the table inside', () => {
    render(<TableScroller label="People"><table><tbody><tr><td>Sam</td></tr></tbody></table></TableScroller>);
    const region = screen.getByRole('region', { name: 'People, scrolls sideways' });
    expect(region.getAttribute('tabindex')).toBe('0');
    expect(region.querySelector('table')).toBeTruthy();
  });
});
