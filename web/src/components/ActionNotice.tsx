// The line that says an action worked ("Snoozed for 3 days", "Task created"). It belongs to
// the action that caused it: the next action's notice replaces it, an action that starts (or
// fails) clears it, so an old success never sits beside a later step; and it can be dismissed.
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';

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
  /**
   * A dialog whose action is done is closing: if the focus falls to the page (the control that
   * opened it went away with the action, as Escalate does), the notice takes it. Where the
   * control is still there, the dialog gives the focus back to it and this does nothing.
   */
  focusIfLost: () => void;
  /** Counts the notices shown with takeFocus, so each one moves the focus once. */
  focusRequest: number;
  /** Counts the focusIfLost calls. */
  lostFocusCheck: number;
}

export function useActionNotice(): ActionNoticeState {
  const [text, setText] = useState<string | null>(null);
  const [focusRequest, setFocusRequest] = useState(0);
  const [lostFocusCheck, setLostFocusCheck] = useState(0);
  const show = useCallback((next: string, options?: { takeFocus?: boolean }) => {
    setText(next);
    if (options?.takeFocus) setFocusRequest((count) => count + 1);
  }, []);
  const clear = useCallback(() => setText(null), []);
  const focusIfLost = useCallback(() => setLostFocusCheck((count) => count + 1), []);
  return { text, show, clear, focusIfLost, focusRequest, lostFocusCheck };
}

/** The notice line; `action` is a control that belongs to what it says (Sign in again). */
export function ActionNotice({ notice, action = null }: { notice: Pick<ActionNoticeState, 'text' | 'clear'> & { focusRequest?: number; lostFocusCheck?: number }; action?: ReactNode }) {
  const line = useRef<HTMLParagraphElement>(null);
  const focusRequest = notice.focusRequest ?? 0;
  const lostFocusCheck = notice.lostFocusCheck ?? 0;
  useEffect(() => { if (focusRequest > 0) line.current?.focus(); }, [focusRequest]);
  // Runs after the closing dialog's own cleanup, which gives the focus back to its opener if it can.
  useEffect(() => {
    const focused = document.activeElement;
    if (lostFocusCheck > 0 && (!focused || focused === document.body)) line.current?.focus();
  }, [lostFocusCheck]);
  if (!notice.text) return null;
  return (
    <p ref={line} tabIndex={-1} className="notice notice-success notice-dismissable" role="status">
      <span>{notice.text}</span>
      {action}
      <button type="button" className="notice-dismiss" aria-label="Dismiss this notice" onClick={notice.clear}>×</button>
    </p>
  );
}
