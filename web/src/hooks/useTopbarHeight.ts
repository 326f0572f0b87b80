// The room the top bar takes at the top of the window while the page scrolls, published as
// the CSS variable --topbar-height: its height where it stays put (one row on a laptop, two
// or three wrapped rows on a tablet), none on a phone, where it scrolls away with the page.
// What else stays at the top of the window (the queue's bulk actions) sits under it, at any
// width and with any number of links, with no height written twice in the stylesheet.
import { useEffect, type RefObject } from 'react';

export function useTopbarHeight(topbar: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const bar = topbar.current;
    if (!bar) return undefined;
    const publish = () => {
      const stays = getComputedStyle(bar).position === 'sticky';
      document.documentElement.style.setProperty('--topbar-height', `${stays ? Math.ceil(bar.getBoundingClientRect().height) : 0}px`);
    };
    publish();
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(publish);
    observer?.observe(bar);
    // The bar's position changes with the width (sticky above 760 px) without its size changing.
    window.addEventListener('resize', publish);
    return () => {
      observer?.disconnect();
      window.removeEventListener('resize', publish);
    };
  }, [topbar]);
}
