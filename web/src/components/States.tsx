// Loading, empty and error states, so every screen says what is going on in the same way.
import type { ReactNode } from 'react';
import { messageOf } from '../lib/errors.ts';

export function Spinner({ label = 'Loading' }: { label?: string }) {
  return <span className="spinner" role="status" aria-label={label} />;
}

export function LoadingState({ label = 'Loading…', rows = 0 }: { label?: string; rows?: number }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      {rows > 0 ? (
        <div className="skeleton-list" aria-hidden="true">
          {Array.from({ length: rows }, (_, index) => <div key={index} className="skeleton-row" />)}
        </div>
      ) : <span className="spinner" aria-hidden="true" />}
      <span className={rows > 0 ? 'visually-hidden' : 'state-text'}>{label}</span>
    </div>
  );
}

export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="state state-empty">
      <p className="state-title">{title}</p>
      {children ? <div className="state-text">{children}</div> : null}
      {action}
    </div>
  );
}

export function ErrorState({ error, title = 'This could not be loaded', onRetry }: { error: unknown; title?: string; onRetry?: () => void }) {
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">{title}</p>
      <p className="state-text">{messageOf(error)}</p>
      {onRetry ? <button type="button" className="btn" onClick={onRetry}>Try again</button> : null}
    </div>
  );
}

export function InlineError({ error }: { error: unknown }) {
  if (!error) return null;
  return <p className="inline-error" role="alert">{messageOf(error)}</p>;
}
