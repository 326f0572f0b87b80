// The line that says an action worked ("Snoozed for 3 days", "Task created"). It belongs to
// the action that caused it: the next action's notice replaces it, an action that starts (or
// fails) clears it, so an old success never sits beside a later step; and it can be dismissed.
import { useCallback, useState } from 'react';

export interface ActionNoticeState {
  text: string | null;
  /** The notice of the action that just finished, replacing any before it. */
  show: (text: string) => void;
  /** A new action starts, or one failed: the last one's notice no longer applies. */
  clear: () => void;
}

export function useActionNotice(): ActionNoticeState {
  const [text, setText] = useState<string | null>(null);
  const show = useCallback((next: string) => setText(next), []);
  const clear = useCallback(() => setText(null), []);
  return { text, show, clear };
}

export function ActionNotice({ notice }: { notice: Pick<ActionNoticeState, 'text' | 'clear'> }) {
  if (!notice.text) return null;
  return (
    <p className="notice notice-success notice-dismissable" role="status">
      <span>{notice.text}</span>
      <button type="button" className="notice-dismiss" aria-label="Dismiss this notice" title="Dismiss" onClick={notice.clear}>×</button>
    </p>
  );
}
