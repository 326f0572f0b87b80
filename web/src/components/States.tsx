// Loading, empty and error states, so every screen says what is going on in the same way.
import { useEffect, useRef, type ReactNode } from 'react';
import { ApiError, isSessionEnded, messageOf } from '../lib/errors.ts';
import { Link } from './Link.tsx';
import { SignInAgainButton, useSignInAgain } from './SignInAgain.tsx';

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

/** Where a page whose subject does not exist (or is another organisation's) sends the person, in words. */
export interface NotFoundWay { text: string; href: string; label: string }

/**
 * A screen that could not load. When what it shows is not there (PT404) and `notFound` is
 * given, it says so in those words with the way back (Back to the queue) instead of the
 * server's "Workflow execution not found. Check the id…" and a Try again that cannot help;
 * when the session ended, with Sign in again (a retry would be refused too).
 */
export function ErrorState({ error, title = 'This could not be loaded', onRetry, notFound }: {
  error: unknown; title?: string; onRetry?: () => void; notFound?: NotFoundWay;
}) {
  const missing = notFound && error instanceof ApiError && error.isNotFound ? notFound : null;
  const signInAgain = useSignInAgain();
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">{title}</p>
      <p className="state-text">{missing ? missing.text : messageOf(error)}</p>
      {missing ? <Link className="btn" href={missing.href}>{missing.label}</Link>
        : isSessionEnded(error) && signInAgain ? <SignInAgainButton />
        : onRetry ? <button type="button" className="btn" onClick={onRetry}>Try again</button> : null}
    </div>
  );
}

/**
 * An error under what failed. It scrolls itself into view (its own scroller first, e.g. the
 * chat's log), so the end of the message is never cut off below the fold. A session that
 * ended comes with Sign in again beside its sentence.
 */
export function InlineError({ error }: { error: unknown }) {
  const text = error ? messageOf(error) : null;
  const node = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (text) node.current?.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
  }, [text]);
  if (!text) return null;
  return (
    <p ref={node} className="inline-error" role="alert">
      {text}
      {isSessionEnded(error) ? <> <SignInAgainButton small /></> : null}
    </p>
  );
}
