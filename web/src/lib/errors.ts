// One error type for everything the API can answer, so components show `message` and
// branch on `code` (docs/api-contract.md: 22023, PT404, 42501, PT409; Edge Functions add 401 and 422).
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly hint: string | null;
  readonly details: unknown;

  constructor(message: string, options: { code?: string; status?: number; hint?: string | null; details?: unknown } = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = options.code ?? 'unknown';
    this.status = options.status ?? 0;
    this.hint = options.hint ?? null;
    this.details = options.details;
  }

  get isConflict(): boolean {
    return this.code === 'PT409' || this.status === 409;
  }

  get isForbidden(): boolean {
    return this.code === '42501' || this.status === 403;
  }

  get isNotFound(): boolean {
    return this.code === 'PT404' || this.status === 404;
  }
}

interface PostgrestLikeError {
  code?: string;
  message?: string;
  hint?: string | null;
  details?: unknown;
}

export function fromPostgrestError(error: PostgrestLikeError, status?: number): ApiError {
  return new ApiError(error.message || 'The request failed.', {
    code: error.code,
    status,
    hint: error.hint ?? null,
    details: error.details,
  });
}

/**
 * The hint in an Edge Function's `details`: a function passes the database's hint on there
 * (functions-shared/http.ts, fromDatabaseError) or writes its own ("Start the workflow first.").
 * Details that are no sentence (a list of body problems, a code word such as person_exists, an
 * id) are data for the app, not words for a person.
 */
function hintIn(details: unknown): string | null {
  return typeof details === 'string' && /\S\s+\S/.test(details.trim()) ? details.trim() : null;
}

/** Reads the house error body `{"error": {code, message, details}}` of an Edge Function. */
export async function fromFunctionResponse(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON: fall through to a generic message.
  }
  const error = (body as { error?: PostgrestLikeError } | null)?.error;
  if (error && typeof error === 'object') {
    return new ApiError(error.message || `The request failed (HTTP ${response.status}).`, {
      code: error.code ?? String(response.status),
      status: response.status,
      hint: error.hint ?? hintIn(error.details),
      details: error.details,
    });
  }
  return new ApiError(`The request failed (HTTP ${response.status}).`, { status: response.status, code: String(response.status) });
}

// What a person can do about an error that is not one of the API's own (those are written
// for people already: "You may not run actions on this workflow…").
const NETWORK_FAILURE = /failed to fetch|networkerror|load failed|fetch failed|network request failed|econnrefused|econnreset/i;
const SESSION_CODES = new Set(['PGRST301', 'PGRST302', 'PGRST303', 'invalid_jwt', 'bad_jwt', 'session_not_found']);
const IN_WORDS = {
  network: 'Renubu could not reach the server. Check your connection, then try again — nothing you typed is lost.',
  session: 'Your session has ended. Sign in again to continue.',
  rateLimited: 'Too many requests in a short time. Wait a few seconds, then try again.',
  server: (status: number) => `The server could not finish this (HTTP ${status}). Try again in a moment; if it keeps happening, tell your admin.`,
  unknown: 'Something went wrong. Try again in a moment.',
  bug: 'Something went wrong in the page. Reload it; if it keeps happening, tell your admin.',
};

/** A house code (22023, 42501, PT404, …) means the server's message is already for people. */
function isHouseCode(code: string): boolean {
  return /^(22|23|42|P0|PT)[0-9A-Z]{3}$/.test(code);
}

/** "You may not approve your own draft" + "Ask a manager…" → two sentences, each ended. */
export function joinSentences(first: string, second: string): string {
  const head = first.trim();
  const tail = second.trim();
  if (!head) return tail;
  if (!tail) return head;
  return /[.!?…:;]["'”’)]*$/.test(head) ? `${head} ${tail}` : `${head}. ${tail}`;
}

/**
 * Whether the server refused the session itself (an expired, forged or revoked token: the
 * API's PGRST30x, Auth's codes, any 401 not in the house's words, the gateway's own in front
 * of a function included), so only signing in again helps.
 */
export function isSessionEnded(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if (NETWORK_FAILURE.test(error.message) && !isHouseCode(error.code)) return false;
  return SESSION_CODES.has(error.code) || (error.status === 401 && !isHouseCode(error.code));
}

/** The sentence to show a person for any error the app can meet. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) {
    if (NETWORK_FAILURE.test(error.message) && !isHouseCode(error.code)) return IN_WORDS.network;
    if (isSessionEnded(error)) return IN_WORDS.session;
    if (error.status === 429 || error.code === 'over_request_rate_limit') return IN_WORDS.rateLimited;
    if (error.status >= 500 && !isHouseCode(error.code)) return IN_WORDS.server(error.status);
    return error.hint ? joinSentences(error.message, error.hint) : error.message;
  }
  if (error instanceof Error) {
    if (NETWORK_FAILURE.test(error.message)) return IN_WORDS.network;
    // A programming error's text ("Cannot read properties of undefined") means nothing to a CSM.
    if (['TypeError', 'RangeError', 'ReferenceError', 'SyntaxError'].includes(error.name)) return IN_WORDS.bug;
    return error.message.replace(/^(TypeError|Error): /, '') || IN_WORDS.unknown;
  }
  return IN_WORDS.unknown;
}
