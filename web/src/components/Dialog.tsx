// A modal dialog: labelled, focus moves in on open (to the body's first control, else the
// footer's, rather than Close) and back on close, Escape closes, Tab stays inside. A press on
// the backdrop closes it only while nothing has been typed or chosen in it: a stray tap beside
// a form on a phone must not throw away a reason or a task's details (Cancel, Close and Escape
// still do, deliberately).
import { useEffect, useId, useRef, type ReactNode } from 'react';

interface Props {
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
}

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function Dialog({ title, onClose, children, footer, wide = false }: Props) {
  const titleId = useId();
  const box = useRef<HTMLDivElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;
  // Set by the first edit of any field inside; never cleared, as what was typed stays typed.
  const edited = useRef(false);
  const markEdited = () => { edited.current = true; };

  useEffect(() => {
    const previouslyFocused = document.activeElement as HTMLElement | null;
    // The control marked for it, else the body's first (a form's first field), else the footer's
    // first (Cancel: a body of words only leaves the least harmful way on), and Close only when
    // the dialog has nothing else.
    const first = box.current?.querySelector<HTMLElement>('[data-autofocus]')
      ?? box.current?.querySelector<HTMLElement>(`.dialog-body :is(${FOCUSABLE})`)
      ?? box.current?.querySelector<HTMLElement>(`.dialog-foot :is(${FOCUSABLE})`)
      ?? box.current?.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.stopPropagation();
        onCloseRef.current();
      } else if (event.key === 'Tab' && box.current) {
        const items = [...box.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
        if (items.length === 0) return;
        const firstItem = items[0]!;
        const lastItem = items[items.length - 1]!;
        if (event.shiftKey && document.activeElement === firstItem) { event.preventDefault(); lastItem.focus(); }
        else if (!event.shiftKey && document.activeElement === lastItem) { event.preventDefault(); firstItem.focus(); }
      }
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      previouslyFocused?.focus?.();
    };
  }, []);

  return (
    <div className="dialog-backdrop" onMouseDown={(event) => { if (event.target === event.currentTarget && !edited.current) onClose(); }}>
      <div ref={box} className={`dialog${wide ? ' dialog-wide' : ''}`} role="dialog" aria-modal="true" aria-labelledby={titleId}
        onInput={markEdited} onChange={markEdited}>
        <div className="dialog-head">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="icon-btn" aria-label="Close" onClick={onClose}>✕</button>
        </div>
        <div className="dialog-body">{children}</div>
        {footer ? <div className="dialog-foot">{footer}</div> : null}
      </div>
    </div>
  );
}
