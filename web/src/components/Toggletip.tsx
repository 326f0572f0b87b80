// Guidance a finger and a keyboard reach, where a hover tooltip (a title) reached only a mouse:
// a small button that opens its words on a tap, a click, Enter or Space, and closes them on a
// second press, Escape or a press elsewhere. The words go into a live region as it opens, so a
// screen reader announces them (the inclusive-components toggletip pattern); closed, the
// region is empty and takes no room.
import { useCallback, useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { useCloseOnOutside } from '../hooks/useCloseOnOutside.ts';

export function Toggletip({ label, children, trigger = 'i', className }: {
  /** The button's name: what the words are about ("About the urgent count"). */
  label: string;
  /** The guidance itself. */
  children: ReactNode;
  /** What the button shows; an "i" unless given (the priority score shows its number). */
  trigger?: ReactNode;
  className?: string;
}) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const root = useRef<HTMLSpanElement>(null);
  const bubble = useRef<HTMLSpanElement>(null);
  // Opened near a side of the window, the words move in to stay on screen (never widening the page).
  useLayoutEffect(() => {
    const element = bubble.current;
    if (!open || !element) return;
    element.style.transform = '';
    element.style.transform = `translateX(${Math.round(shiftIntoWindow(element.getBoundingClientRect(), window.innerWidth))}px)`;
  }, [open]);
  useCloseOnOutside(open, root, useCallback(() => setOpen(false), []));

  return (
    <span className={`toggletip${className ? ` ${className}` : ''}`} ref={root}>
      <button type="button" className="toggletip-button" aria-label={label} aria-expanded={open} aria-controls={id}
        // A table row's own click (the queue's) opens its workflow: this press is the button's alone.
        onClick={(event) => { event.stopPropagation(); setOpen((was) => !was); }}>
        {trigger}
      </button>
      <span role="status" id={id} ref={bubble} className="toggletip-bubble">{open ? children : null}</span>
    </span>
  );
}

/** How far to move a box sideways so it is inside the window, with a margin (0 when it is). */
export function shiftIntoWindow(box: { left: number; right: number }, windowWidth: number, margin = 8): number {
  if (box.right > windowWidth - margin) return Math.max(windowWidth - margin - box.right, margin - box.left);
  if (box.left < margin) return margin - box.left;
  return 0;
}
