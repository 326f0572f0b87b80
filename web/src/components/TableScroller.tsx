// The frame of every wide table: on a narrow screen the table scrolls sideways inside it
// (never the page), its key column stays put (`col-key`, else the first), a shadow marks
// the side with more columns, and a line says so in words. Focusable, so a keyboard
// scrolls it too. A table that does not fit at its normal spacing is first set tighter
// (headers wrap between words, cells have less padding): one that almost fits then fits,
// instead of scrolling by a few pixels with its last column under the shadow.
import { useRef, useState, type ReactNode } from 'react';
import { useSideOverflow, type Overflow } from '../hooks/useSideOverflow.ts';

export { overflowOf, type Overflow } from '../hooks/useSideOverflow.ts';

/** Tight spacing, and the frame width it was chosen at. */
export type Spacing = { tight: boolean; width: number | null };

/**
 * The spacing after a measurement: tight once the table overflows at normal spacing, and
 * kept while the frame is no wider than it was then (at tight spacing the table may fit,
 * which says nothing about the normal one, and a table too wide for a frame is too wide for
 * a narrower one); a wider frame tries the normal spacing again. Never back on narrowing, so a
 * page scrollbar that comes and goes with the table's height cannot make it flicker.
 */
export function nextSpacing(current: Spacing, width: number, overflow: Overflow): Spacing {
  if (current.tight) return width <= (current.width ?? 0) ? current : { tight: false, width: null };
  return overflow.left || overflow.right ? { tight: true, width } : current;
}

export function TableScroller({ label, children }: { label: string; children: ReactNode }) {
  const scroller = useRef<HTMLDivElement>(null);
  const [spacing, setSpacing] = useState<Spacing>({ tight: false, width: null });
  // Measured again after each change of spacing, which changes the table's width.
  const more = useSideOverflow(scroller, [spacing.tight],
    (element, overflow) => setSpacing((current) => nextSpacing(current, element.clientWidth, overflow)));

  return (
    <div className="table-scroller" data-tight={spacing.tight || undefined} data-more-left={more.left || undefined} data-more-right={more.right || undefined}>
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
