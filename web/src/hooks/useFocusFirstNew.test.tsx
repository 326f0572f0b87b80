// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { useLayoutEffect } from 'react';
import { cleanup, render } from '@testing-library/react';
import { useFocusFirstNew } from './useFocusFirstNew.ts';

afterEach(cleanup);

/** Presses Load more in a layout effect: after the render is on screen, before its effects run. */
function List({ count, loadingMore, pressNow, focused }: { count: number; loadingMore: boolean; pressNow: boolean; focused: number[] }) {
  const pressed = useFocusFirstNew(count, loadingMore, (index) => focused.push(index));
  // Only a change to pressNow presses; pressed is a new function each render.
  useLayoutEffect(() => { if (pressNow) pressed(); }, [pressNow]); // eslint-disable-line react-hooks/exhaustive-deps
  return null;
}

describe('the focus after Load more', () => {
  it('goes to the first new item when the list is pressed before the effects of its first page have run', () => {
    const focused: number[] = [];
    const { rerender } = render(<List count={0} loadingMore={false} pressNow={false} focused={focused} />);
    // The first page is on screen and pressed at once: the press comes before that render's effect.
    rerender(<List count={1} loadingMore={false} pressNow focused={focused} />);
    rerender(<List count={1} loadingMore pressNow focused={focused} />);
    rerender(<List count={2} loadingMore={false} pressNow focused={focused} />);
    expect(focused).toEqual([1]);
  });

  it('is left where it is when the pressed load ends with nothing new', () => {
    const focused: number[] = [];
    const { rerender } = render(<List count={1} loadingMore={false} pressNow={false} focused={focused} />);
    rerender(<List count={1} loadingMore={false} pressNow focused={focused} />);
    rerender(<List count={1} loadingMore pressNow focused={focused} />);
    rerender(<List count={1} loadingMore={false} pressNow focused={focused} />);
    // A later page the list loads as it scrolls is not the press's.
    rerender(<List count={1} loadingMore pressNow focused={focused} />);
    rerender(<List count={2} loadingMore={false} pressNow focused={focused} />);
    expect(focused).toEqual([]);
  });

  it('is not moved by a page loaded without a press', () => {
    const focused: number[] = [];
    const { rerender } = render(<List count={1} loadingMore={false} pressNow={false} focused={focused} />);
    rerender(<List count={1} loadingMore pressNow={false} focused={focused} />);
    rerender(<List count={2} loadingMore={false} pressNow={false} focused={focused} />);
    expect(focused).toEqual([]);
  });
});
