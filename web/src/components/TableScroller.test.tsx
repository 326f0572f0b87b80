// @vitest-environment happy-dom
// The frame of a wide table says which side has more columns (a pixel of rounding is not
// "more"), and is a named, focusable region so a keyboard can scroll it.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { overflowOf, TableScroller } from './TableScroller.tsx';

afterEach(cleanup);

describe('a wide table\'s frame', () => {
  it('knows which side has columns out of view', () => {
    expect(overflowOf({ scrollLeft: 0, scrollWidth: 900, clientWidth: 360 })).toEqual({ left: false, right: true });
    expect(overflowOf({ scrollLeft: 270, scrollWidth: 900, clientWidth: 360 })).toEqual({ left: true, right: true });
    expect(overflowOf({ scrollLeft: 540, scrollWidth: 900, clientWidth: 360 })).toEqual({ left: true, right: false });
    expect(overflowOf({ scrollLeft: 0, scrollWidth: 361, clientWidth: 360 })).toEqual({ left: false, right: false });
  });

  it('is a named region a keyboard can focus, with the table inside', () => {
    render(<TableScroller label="People"><table><tbody><tr><td>Sam</td></tr></tbody></table></TableScroller>);
    const region = screen.getByRole('region', { name: 'People, scrolls sideways' });
    expect(region.getAttribute('tabindex')).toBe('0');
    expect(region.querySelector('table')).toBeTruthy();
  });
});
