// The frame of every table: a table that does not fit at its normal spacing is first set
// tighter (headers wrap between words, cells have less padding), so one that almost fits
// then fits; a table with a compact layout of its own (the queue: two lines a row, on a
// tablet) is set so next; one that still does not fit reads as stacked rows (a phone: each
// row a card, each cell naming its column, nothing scrolling sideways). Should a stacked card still be wider
// than the frame (a word too long to break), it scrolls inside the frame (never the page), a
// shadow and a line say so, and the frame is focusable so a keyboard scrolls it too.
import { useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import { useSideOverflow, type Overflow } from '../hooks/useSideOverflow.ts';

export { overflowOf, type Overflow } from '../hooks/useSideOverflow.ts';

/** How the table is set, and the frame width that was chosen at. */
export type Spacing = { layout: 'normal' | 'tight' | 'compact' | 'stacked'; width: number | null };

/** The next denser layout: a table without a compact layout goes from tight to stacked. */
function denser(layout: Spacing['layout'], compact: boolean): Spacing['layout'] {
  if (layout === 'normal') return 'tight';
  return layout === 'tight' && compact ? 'compact' : 'stacked';
}

/**
 * The layout after a measurement: one step denser (tight, then stacked) while the table
 * overflows, and kept while the frame is no wider than it was then (a denser table may fit,
 * which says nothing about the looser one, and a table too wide for a frame is too wide for a
 * narrower one); a wider frame tries the normal spacing again. Never looser on narrowing, so a
 * page scrollbar that comes and goes with the table's height cannot make it flicker.
 */
export function nextSpacing(current: Spacing, width: number, overflow: Overflow,
  table: { compact?: boolean; drawn?: Spacing['layout'] } = {}): Spacing {
  if (current.layout !== 'normal' && width > (current.width ?? 0)) return { layout: 'normal', width: null };
  if (!(overflow.left || overflow.right) || current.layout === 'stacked') return current;
  // Measured as drawn before the last step (one drawing is measured more than once): that
  // layout was judged already, and the step it asked for is taken; the next drawing says more.
  if (table.drawn !== undefined && table.drawn !== current.layout) return current;
  return { layout: denser(current.layout, table.compact ?? false), width };
}

/**
 * Names each body cell's column on it (`data-label`, shown when the rows are stacked) and
 * states the table's roles, which a browser may drop once a table is not displayed as one.
 * Done on the table as drawn, and again whenever its rows change.
 */
export function labelCells(table: HTMLTableElement): void {
  // By selectors, not table.rows and cell.colSpan, which not every DOM (the unit tests') has.
  const span = (cell: Element) => Number(cell.getAttribute('colspan') ?? 1) || 1;
  const headers: string[] = [];
  const head = table.querySelector(':scope > thead > tr');
  // A header with no words (a column of buttons) is named by its aria-label.
  const name = (cell: Element) => cell.textContent?.trim() || cell.getAttribute('aria-label') || '';
  if (head) for (const cell of head.children) for (let i = 0; i < span(cell); i += 1) headers.push(name(cell));
  setIfChanged(table, 'role', 'table');
  for (const group of table.querySelectorAll(':scope > thead, :scope > tbody')) setIfChanged(group, 'role', 'rowgroup');
  for (const row of table.querySelectorAll(':scope > thead > tr, :scope > tbody > tr')) {
    setIfChanged(row, 'role', 'row');
    const inHead = row.parentElement?.tagName === 'THEAD';
    let column = 0;
    for (const cell of row.children) {
      const header = cell.tagName === 'TH';
      setIfChanged(cell, 'role', header ? (inHead ? 'columnheader' : 'rowheader') : 'cell');
      const label = headers[column];
      if (!header && label && span(cell) === 1) setIfChanged(cell, 'data-label', label);
      column += span(cell);
    }
  }
}

function setIfChanged(element: Element, name: string, value: string): void {
  if (element.getAttribute(name) !== value) element.setAttribute(name, value);
}

/** Keeps the frame's tables labelled (labelCells) as their rows come and go. */
function useCellLabels(frame: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const element = frame.current;
    if (!element) return undefined;
    const label = () => element.querySelectorAll('table').forEach(labelCells);
    label();
    if (typeof MutationObserver === 'undefined') return undefined;
    const observer = new MutationObserver(label);
    observer.observe(element, { childList: true, subtree: true, characterData: true });
    return () => observer.disconnect();
  }, [frame]);
}

/** The layout a frame is drawn in, from the marks TableScroller puts on it. */
function drawnLayout(frame: HTMLElement | null): Spacing['layout'] | undefined {
  if (!frame) return undefined;
  if (frame.dataset.stacked !== undefined) return 'stacked';
  if (frame.dataset.compact !== undefined) return 'compact';
  return frame.dataset.tight !== undefined ? 'tight' : 'normal';
}

/**
 * `compact`: the table has a compact layout, its own stylesheet's `[data-compact]` rules (the
 * queue's two lines a row), tried before its rows are stacked.
 */
export function TableScroller({ label, compact = false, children }: { label: string; compact?: boolean; children: ReactNode }) {
  const scroller = useRef<HTMLDivElement>(null);
  const [spacing, setSpacing] = useState<Spacing>({ layout: 'normal', width: null });
  useCellLabels(scroller);
  // Measured again after each change of layout, which changes the table's width.
  const more = useSideOverflow(scroller, [spacing.layout],
    (element, overflow) => {
      const drawn = drawnLayout(element.closest<HTMLElement>('.table-scroller'));
      setSpacing((current) => nextSpacing(current, element.clientWidth, overflow, { compact, drawn }));
    });

  return (
    <div className="table-scroller" data-tight={spacing.layout !== 'normal' || undefined}
      data-compact={spacing.layout === 'compact' || undefined} data-stacked={spacing.layout === 'stacked' || undefined}
      data-more-left={more.left || undefined} data-more-right={more.right || undefined}>
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
