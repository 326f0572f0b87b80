// Keeps the end of a conversation in view as it grows (a new message, the streamed text, a
// drafted email's card, the "Answered by" line), unless the reader has scrolled up to read.
// On a laptop the log scrolls inside its frame. On a phone it is as tall as its messages and
// the page is the one scroll area (two nested ones fought over the finger): there the page
// scrolls, keeping the end just above the composer, which stays at the screen's foot.
import { useEffect, useRef, type RefObject } from 'react';

/** Within this many px of the end counts as at the end (a line). */
const AT_END = 24;

function scrollsItself(log: HTMLElement): boolean {
  return /(auto|scroll)/.test(getComputedStyle(log).overflowY);
}

/** The composer's height where it stays at the screen's foot (sticky on a phone), else 0. */
function coveredByComposer(log: HTMLElement): number {
  const composer = log.parentElement?.querySelector<HTMLElement>('.composer');
  return composer && getComputedStyle(composer).position === 'sticky' ? composer.getBoundingClientRect().height : 0;
}

/** How many px of the log are below what the reader sees. */
function hiddenBelow(log: HTMLElement): number {
  if (scrollsItself(log)) return log.scrollHeight - log.scrollTop - log.clientHeight;
  return log.getBoundingClientRect().bottom - (window.innerHeight - coveredByComposer(log));
}

/** Where the reader is: the log's scroll, or the page's where the log does not scroll itself. */
function position(log: HTMLElement): number {
  return scrollsItself(log) ? log.scrollTop : window.scrollY;
}

/** Scrolls the end into view; returns the position that left. */
function showEnd(log: HTMLElement): number {
  if (scrollsItself(log)) log.scrollTop = log.scrollHeight;
  else {
    const hidden = hiddenBelow(log);
    if (hidden > 0) window.scrollBy(0, hidden);
  }
  return position(log);
}

/**
 * Follows the end of `log` while `enabled` (the person's auto-scroll preference): at once when
 * `messages` or `lastContent` change, and as its content resizes. `ready` turns true once the log is drawn.
 */
export function useFollowEnd(log: RefObject<HTMLElement | null>, enabled: boolean, ready: boolean, messages: number, lastContent: number): void {
  const atEnd = useRef(true);
  // The position this hook scrolled to: the scroll event it causes comes a frame later, when
  // more of the answer may have arrived, and is not the reader scrolling away from the end.
  const scrolledTo = useRef<number | null>(null);
  const follow = (node: HTMLElement) => { scrolledTo.current = showEnd(node); atEnd.current = true; };
  useEffect(() => {
    const node = log.current;
    if (!node) return undefined;
    const update = () => {
      if (position(node) === scrolledTo.current) return;
      atEnd.current = hiddenBelow(node) < AT_END;
    };
    // A phone opens a workflow at its top: its chat's end further down is not scrolled to.
    if (!scrollsItself(node)) update();
    node.addEventListener('scroll', update, { passive: true });
    window.addEventListener('scroll', update, { passive: true });
    return () => {
      node.removeEventListener('scroll', update);
      window.removeEventListener('scroll', update);
    };
  }, [log, ready]);

  // The messages counted once the log was drawn: a message sent or arriving after that is
  // followed, where the page's own scroll (a phone) is not moved for the ones it opened with.
  const counted = useRef<number | null>(null);
  useEffect(() => {
    const node = log.current;
    if (!node) { counted.current = null; return; }
    const added = counted.current !== null && messages > counted.current;
    counted.current = messages;
    if (!enabled) return;
    // A log of its own shows every change; the page is scrolled for a new message, or more text for a reader at the end.
    if (scrollsItself(node) || added || atEnd.current) follow(node);
  }, [log, enabled, ready, messages, lastContent]);

  useEffect(() => {
    const node = log.current;
    const content = node?.firstElementChild;
    if (!enabled || !node || !content || typeof ResizeObserver === 'undefined') return undefined;
    const growth = new ResizeObserver(() => { if (atEnd.current) follow(node); });
    growth.observe(content);
    return () => growth.disconnect();
  }, [log, enabled, ready]);
}
