// The workspace's calls belong to the session that made them. Signing out closes the door
// before the sign-out call goes out: calls still under way are aborted, and calls a page
// starts while it is being taken down are refused here, without reaching the server.
// Without it a poll or a page still loading went out after the sign-out as the anonymous
// role (or with no bearer at all) and came back 401. Auth's own calls (sign-in, refresh,
// sign-out) always pass, and the door opens again with the next session.

export interface SessionFetch {
  /** fetch for supabase-js (`global.fetch`) and for the Edge Function calls. */
  fetch: typeof fetch;
  /** A session is live: calls go through. */
  open(): void;
  /** The session is ending: aborts the calls under way and refuses new ones until open(). */
  close(): void;
  readonly isOpen: boolean;
}

function urlOf(input: RequestInfo | URL): string {
  if (typeof input === 'string') return input;
  return input instanceof URL ? input.href : input.url;
}

function isAuthCall(input: RequestInfo | URL): boolean {
  return new URL(urlOf(input), 'http://relative.invalid').pathname.startsWith('/auth/v1/');
}

function sessionEnded(): DOMException {
  return new DOMException('The session ended before this call was sent.', 'AbortError');
}

/** Aborts when either signal does (AbortSignal.any, with a fallback for older engines). */
function eitherSignal(first: AbortSignal, second: AbortSignal | null | undefined): AbortSignal {
  if (!second) return first;
  if (typeof AbortSignal.any === 'function') return AbortSignal.any([first, second]);
  const both = new AbortController();
  for (const signal of [first, second]) {
    if (signal.aborted) both.abort(signal.reason);
    else signal.addEventListener('abort', () => both.abort(signal.reason), { once: true });
  }
  return both.signal;
}

/** Starts open: before the first session is known nothing in the workspace calls out. */
export function createSessionFetch(base: typeof fetch = (...args) => fetch(...args)): SessionFetch {
  let current: AbortController | null = new AbortController();
  return {
    fetch(input, init) {
      if (isAuthCall(input)) return base(input, init);
      if (!current) return Promise.reject(sessionEnded());
      return base(input, { ...init, signal: eitherSignal(current.signal, init?.signal) });
    },
    open() {
      current ??= new AbortController();
    },
    close() {
      current?.abort(sessionEnded());
      current = null;
    },
    get isOpen() {
      return current !== null;
    },
  };
}
