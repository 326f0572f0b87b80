// The frame of every wide table: on a narrow screen the table scrolls sideways inside it
// (never the page), its key column stays put (`col-key`, else the first), a shadow marks
// the side with more columns, and a line says so in words. Focusable, so a keyboard
// scrolls it too.
import { useEffect, useRef, useState, type ReactNode } from 'react';

export type Overflow = { left: boolean; right: boolean };

/** Which sides of a scroller have content out of view (a pixel of rounding is not "more"). */
export function overflowOf(element: { scrollLeft: number; scrollWidth: number; clientWidth: number }): Overflow {
  const hidden = element.scrollWidth - element.clientWidth;
  return { left: element.scrollLeft > 1, right: hidden - element.scrollLeft > 1 };
}

export function TableScroller({ label, children }: { label: string; children: ReactNode }) {
  const scroller = useRef<HTMLDivElement>(null);
  const [more, setMore] = useState<Overflow>({ left: false, right: false });

  useEffect(() => {
    const element = scroller.current;
    if (!element) return undefined;
    const measure = () => setMore((current) => {
      const next = overflowOf(element);
      return current.left === next.left && current.right === next.right ? current : next;
    });
    measure();
    element.addEventListener('scroll', measure, { passive: true });
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(measure);
    observer?.observe(element);
    if (element.firstElementChild) observer?.observe(element.firstElementChild);
    return () => {
      element.removeEventListener('scroll', measure);
      observer?.disconnect();
    };
  }, []);

  return (
    <div className="table-scroller" data-more-left={more.left || undefined} data-more-right={more.right || undefined}>
      {more.left || more.right ? (
        <p className="table-hint" aria-hidden="true">{more.right ? 'More columns to the right: swipe or scroll sideways →' : '← More columns to the left'}</p>
      ) : null}
      <div className="table-frame">
        <div ref={scroller} className="table-wrap" tabIndex={0} role="region" aria-label={`${label}, scrolls sideways`}>
          {children}
        </div>
      </div>
    </div>
  );
}
