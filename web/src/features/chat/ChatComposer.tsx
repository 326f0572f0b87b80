// The message box. Enter sends (Shift+Enter for a new line), or the other way round when
// the "send with Shift+Enter" preference is on. A message not yet sent is kept for the tab
// under the person and the thread (lib/unsentText.ts), so opening the customer mid-question
// and coming back, or a reload, finds it still there; once sent it is no longer kept.
import { useEffect, useId, useRef, type KeyboardEvent } from 'react';
import { useKeptText } from '../../hooks/useKeptText.ts';

interface Props {
  onSend: (text: string) => void;
  disabled: boolean;
  shiftEnterToSubmit: boolean;
  /** Each new number above 0 puts the focus in the box (a chat just opened from a branch). */
  focusRequest?: number;
  /** Whose message in which thread (person and thread ids): the key its unsent text is kept under. */
  draftKey?: string;
}

export function ChatComposer({ onSend, disabled, shiftEnterToSubmit, focusRequest = 0, draftKey }: Props) {
  const [text, setText] = useKeptText(draftKey);
  const hintId = useId();
  const box = useRef<HTMLTextAreaElement>(null);
  useEffect(() => { if (focusRequest > 0) box.current?.focus(); }, [focusRequest]);

  function submit() {
    if (disabled || !text.trim()) return;
    onSend(text);
    setText('');
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key !== 'Enter' || event.nativeEvent.isComposing) return;
    const wantsSend = shiftEnterToSubmit ? event.shiftKey : !event.shiftKey;
    if (wantsSend) {
      event.preventDefault();
      submit();
    }
  }

  return (
    <form className="composer" onSubmit={(event) => { event.preventDefault(); submit(); }}>
      <label className="visually-hidden" htmlFor={`${hintId}-input`}>Message the assistant</label>
      <textarea ref={box} id={`${hintId}-input`} rows={2} value={text} placeholder="Ask about this customer, or ask for a draft…"
        aria-describedby={hintId} onChange={(event) => setText(event.target.value)} onKeyDown={onKeyDown} />
      <div className="composer-foot">
        <span id={hintId} className="muted small keyboard-only">
          {shiftEnterToSubmit ? <><kbd>Shift</kbd>+<kbd>Enter</kbd> to send, <kbd>Enter</kbd> for a new line</> : <><kbd>Enter</kbd> to send, <kbd>Shift</kbd>+<kbd>Enter</kbd> for a new line</>}
        </span>
        <button type="submit" className="btn btn-primary btn-small" disabled={disabled || !text.trim()}>{disabled ? 'Answering…' : 'Send'}</button>
      </div>
    </form>
  );
}
