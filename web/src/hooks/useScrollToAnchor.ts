// A link to a place in a page (a chat citation: /customers/:id#engagement-<id>, /outbox#email-<id>)
// lands on that place. The place is drawn only once its list has loaded, after the browser
// has given up looking for it, so the page watches for it for a while: found, it is scrolled
// to the middle of the screen, takes the focus (a screen reader starts there) and is marked
// (.anchor-target). Not found in time (an entry older than the page shows), the page stays
// as it opened.
import { useEffect } from 'react';
import { useLocationHash, usePathname } from '../lib/router.ts';

/** How long a page may take to draw the place a link names. */
const WAIT_MS = 10_000;

function anchorTarget(hash: string): HTMLElement | null {
  const raw = hash.replace(/^#/, '');
  let id = raw;
  // A fragment that is no valid escape ("#%E0%A4%A") names nothing: never an error on the page.
  try { id = decodeURIComponent(raw); } catch { return null; }
  return id ? document.getElementById(id) : null;
}

function land(target: HTMLElement) {
  target.scrollIntoView?.({ block: 'center' });
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  target.focus({ preventScroll: true });
  target.classList.add('anchor-target');
}

export function useScrollToAnchor(): void {
  const pathname = usePathname();
  const hash = useLocationHash();
  useEffect(() => {
    if (!hash) return;
    const now = anchorTarget(hash);
    if (now) return land(now);
    const watch = new MutationObserver(() => {
      const target = anchorTarget(hash);
      if (!target) return;
      stop();
      land(target);
    });
    const timer = setTimeout(() => stop(), WAIT_MS);
    function stop() { watch.disconnect(); clearTimeout(timer); }
    watch.observe(document.body, { childList: true, subtree: true });
    return stop;
  }, [pathname, hash]);
}
