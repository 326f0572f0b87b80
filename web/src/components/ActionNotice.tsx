// The line that says an action worked ("Snoozed for 3 days", "Task created"). It belongs to
// the action that caused it: the next action's notice replaces it, an action that starts (or
// fails) clears it, so an old success never sits beside a later step; and it can be dismissed.
import { useCallback, useEffect, useRef, useState } from 'react';

export interface ActionNoticeState {
  text: string | null;
  /**
   * The notice of the action that just finished, replacing any before it. `takeFocus` when
   * the control that ran the action goes away with it (Resolve once the escalation is
   * decided, Start once started): the focus moves to the notice instead of to the page.
   */
  show: (text: string, options?: { takeFocus?: boolean }) => void;
  /** A new action starts, or one failed: the last one's notice no longer applies. */
  clear: () => void;
  /** Counts the notices shown with takeFocus, so each one moves the focus once. */
  focusRequest: number;
}

export function useActionNotice(): ActionNoticeState {
  const [text, setText] = useState<string | null>(null);
  const [focusRequest, setFocusRequest] = useState(0);
  const show = useCallback((next: string, options?: { takeFocus?: boolean }) => {
    setText(next);
    if (options?.takeFocus) setFocusRequest((count) => count + 1);
  }, []);
  const clear = useCallback(() => setText(null), []);
  return { text, show, clear, focusRequest };
}

export function ActionNotice({ notice }: { notice: Pick<ActionNoticeState, 'text' | 'clear'> & { focusRequest?: number } }) {
  const line = useRef<HTMLParagraphElement>(null);
  const focusRequest = notice.focusRequest ?? 0;
  useEffect(() => { if (focusRequest > 0) line.current?.focus(); }, [focusRequest]);
  if (!notice.text) return null;
  return (
    <p ref={line} tabIndex={-1} className="notice notice-success notice-dismissable" role="status">
      <span>{notice.text}</span>
      <button type="button" className="notice-dismiss" aria-label="Dismiss this notice" title="Dismiss" onClick={notice.clear}>×</button>
    </p>
  );
}
