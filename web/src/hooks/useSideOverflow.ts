// Which sides of a sideways scroller (a wide table's frame, the workflow's step strip on a
// phone, the task views) have content out of view, kept as it scrolls and as it or its content
// resizes; and how a strip brings its chosen item into view.
import { useEffect, useRef, useState, type DependencyList, type RefObject } from 'react';
import { matchesMedia, REDUCED_MOTION } from '../lib/mediaQuery.ts';

export type Overflow = { left: boolean; right: boolean };

/** Which sides of a scroller have content out of view (a pixel of rounding is not "more"). */
export function overflowOf(element: { scrollLeft: number; scrollWidth: number; clientWidth: number }): Overflow {
  const hidden = element.scrollWidth - element.clientWidth;
  return { left: element.scrollLeft > 1, right: hidden - element.scrollLeft > 1 };
}

/**
 * The scroller's overflow, measured on scroll and resize, and again when `deps` change.
 * `onMeasure` sees every measurement (the table frame chooses its spacing from it).
 */
export function useSideOverflow(
  scroller: RefObject<HTMLElement | null>,
  deps: DependencyList = [],
  onMeasure?: (element: HTMLElement, overflow: Overflow) => void,
): Overflow {
  const [more, setMore] = useState<Overflow>({ left: false, right: false });
  const onMeasureRef = useRef(onMeasure);
  onMeasureRef.current = onMeasure;

  useEffect(() => {
    const element = scroller.current;
    if (!element) return undefined;
    const measure = () => {
      const next = overflowOf(element);
      onMeasureRef.current?.(element, next);
      setMore((current) => (current.left === next.left && current.right === next.right ? current : next));
    };
    measure();
    element.addEventListener('scroll', measure, { passive: true });
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(measure);
    observer?.observe(element);
    if (element.firstElementChild) observer?.observe(element.firstElementChild);
    return () => {
      element.removeEventListener('scroll', measure);
      observer?.disconnect();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);

  return more;
}

/** Scrolls a strip (not the page) so `item` is in view, centred where it can be. */
export function bringIntoStrip(strip: HTMLElement, item: HTMLElement): void {
  if (strip.scrollWidth <= strip.clientWidth + 1) return;
  const frame = strip.getBoundingClientRect();
  const box = item.getBoundingClientRect();
  if (box.left >= frame.left - 1 && box.right <= frame.right + 1) return;
  const reduced = matchesMedia(REDUCED_MOTION);
  strip.scrollTo({ left: strip.scrollLeft + box.left - frame.left - (frame.width - box.width) / 2, behavior: reduced ? 'auto' : 'smooth' });
}
