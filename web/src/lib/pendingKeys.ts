// The idempotency key of a request whose answer never came. An action sent when the
// connection dropped, a timeout struck or the page was reloaded may well have been applied;
// sending it again under a new key would apply it twice. So the key is kept (localStorage:
// across a reload, and shared by the person's tabs) with what was sent, until an answer
// says what happened, and the same request sent again — from the dialog opened anew, after a
// reload, or in another tab — goes under the same key, which the server replays.
import { ApiError } from './errors.ts';

const PREFIX = 'renubu.pending-request:';
/** A request left unanswered longer than this is not matched any more. */
const KEEP_MS = 24 * 60 * 60 * 1000;

interface Pending {
  key: string;
  sent: string;
  at: number;
}

function read(scope: string): Pending | null {
  try {
    const kept = JSON.parse(localStorage.getItem(PREFIX + scope) ?? 'null') as Pending | null;
    return kept && typeof kept.key === 'string' && Date.now() - kept.at < KEEP_MS ? kept : null;
  } catch {
    return null;
  }
}

/**
 * The key to send `sent` under: the key of the same request left unanswered in `scope`, else
 * `fresh`. The choice is kept until `settle` says the answer came.
 */
function keyForRequest(scope: string, sent: unknown, fresh: string): string {
  const body = JSON.stringify(sent);
  const kept = read(scope);
  const key = kept && kept.sent === body ? kept.key : fresh;
  try {
    localStorage.setItem(PREFIX + scope, JSON.stringify({ key, sent: body, at: Date.now() } satisfies Pending));
  } catch {
    // Storage unavailable: the dialog's own key still covers a retry from the same dialog.
  }
  return key;
}

/**
 * Forgets every request left unanswered, with what was sent (a note's text, a task's title):
 * called once a sign-out has gone through, so that the next person at this browser finds
 * none of it in its storage. A retry after signing in again gets a new key.
 */
export function forgetUnansweredRequests(): void {
  try {
    for (const name of Object.keys(localStorage)) {
      if (name.startsWith(PREFIX)) localStorage.removeItem(name);
    }
  } catch {
    // Storage unavailable: nothing was kept.
  }
}

/**
 * Whether an error leaves the request's fate unknown: no answer (the network, a timeout), or
 * a server failure. A refusal in the house codes (22023, 42501, PT404, PT409) applied nothing.
 */
export function leavesFateUnknown(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true;
  return error.status === 0 || error.status >= 500;
}

/** The answer came (a result, or a refusal that applied nothing): the key is not kept. */
function settle(scope: string): void {
  try {
    localStorage.removeItem(PREFIX + scope);
  } catch {
    // Nothing kept.
  }
}

/**
 * The server's refusal of a key sent before with other values (docs/api-contract.md: PT409
 * "this key was used for a different request"), said for the person: the first try, whose
 * answer was lost, may have been applied, and what is sent now was changed since.
 */
function inWords(error: unknown): unknown {
  if (!(error instanceof ApiError) || !error.isConflict || !/^this key was used for a different request/i.test(error.message)) return error;
  return new ApiError('The first try may already have been done: its answer never came back, and what you send now was changed since.', {
    code: error.code, status: error.status, details: error.details,
    hint: 'Close this form to see how things are now, then do it again if it is still needed.',
  });
}

/**
 * Sends `sent` with `send`, under the key of the same request left unanswered in `scope`
 * (the person, and what is sent where), else under `fresh`. The key is kept until the
 * answer, or a refusal, comes back; a lost answer leaves it for the next send.
 */
export async function sendOnce<T>(scope: string, sent: unknown, fresh: string, send: (key: string) => Promise<T>): Promise<T> {
  const key = keyForRequest(scope, sent, fresh);
  let answer: T;
  try {
    answer = await send(key);
  } catch (caught) {
    if (!leavesFateUnknown(caught)) settle(scope);
    throw inWords(caught);
  }
  settle(scope);
  return answer;
}
