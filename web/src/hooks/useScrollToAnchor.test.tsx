// @vitest-environment happy-dom
// A link to a place in a page (a chat citation: /customers/:id#engagement-<id>) lands on that
// place once the page has drawn it, however late its list arrives: the item is scrolled to,
// takes the focus and is marked; before, the page opened at its top and the cited item had
// to be looked for.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, render, screen } from '@testing-library/react';
import { useState, useEffect } from 'react';
import { useScrollToAnchor } from './useScrollToAnchor.ts';
import { navigate } from '../lib/router.ts';

afterEach(() => { cleanup(); window.history.replaceState(null, '', '/'); });

function LatePage({ delay }: { delay: number }) {
  useScrollToAnchor();
  const [loaded, setLoaded] = useState(false);
  useEffect(() => { const timer = setTimeout(() => setLoaded(true), delay); return () => clearTimeout(timer); }, [delay]);
  return (
    <ol>
      <li id="engagement-e1">Budget call</li>
      {loaded ? <li id="engagement-e2">Ticket ACME-1040: API rate limit questions</li> : null}
    </ol>
  );
}

describe('a link to a place in a page', () => {
  it('lands on the item it names once the item is drawn, with the focus', async () => {
    vi.useFakeTimers();
    const scrolled = vi.fn();
    HTMLElement.prototype.scrollIntoView = scrolled;
    render(<LatePage delay={300} />);
    act(() => navigate('/customers/c1#engagement-e2'));
    expect(scrolled).not.toHaveBeenCalled();
    await act(async () => { await vi.advanceTimersByTimeAsync(400); });
    vi.useRealTimers();
    const item = screen.getByText('Ticket ACME-1040: API rate limit questions');
    await vi.waitFor(() => expect(document.activeElement).toBe(item));
    expect(scrolled).toHaveBeenCalled();
    expect(item.classList.contains('anchor-target')).toBe(true);
  });

  it('leaves the page as it is when the fragment is no valid escape, without an error', () => {
    render(<LatePage delay={0} />);
    expect(() => act(() => navigate('/customers/c1#%E0%A4%A'))).not.toThrow();
    expect(document.activeElement).toBe(document.body);
  });

  it('leaves the page as it is without an anchor', () => {
    render(<LatePage delay={0} />);
    act(() => navigate('/customers/c1'));
    expect(document.activeElement).toBe(document.body);
  });
});
