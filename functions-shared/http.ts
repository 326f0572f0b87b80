// The HTTP plumbing every Edge Function shares: CORS, the house error body of docs/api-contract.md,
// body validation with zod (422), mapping database errors raised through supabase-js to
// HTTP statuses, and a per-request supabase-js client that acts as the caller (so RLS applies).
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type { ZodError, ZodType } from 'zod';
import { MAX_JSON_DEPTH, jsonTooDeep } from './json-depth.js';
import { secretsEqual } from './secret-equal.js';
import { isWellFormedText, quotedBriefly, unrecognizedKeysMessage } from './text.ts';

// In the Edge runtime (Deno) an error nobody awaited would end the worker and every
// request in flight with it; one bad request must not. Log it and carry on: the request
// it belonged to has been answered by `answer` below. (Node, under vitest, has no such
// global listener and keeps its own behaviour.)
if ('Deno' in globalThis && typeof globalThis.addEventListener === 'function') {
  globalThis.addEventListener('unhandledrejection', (event: Event) => {
    event.preventDefault();
    console.error('unhandled rejection:', (event as Event & { reason?: unknown }).reason);
  });
}

/** What a handler needs from its runtime; index.ts builds it from Deno.env, tests from process.env. */
export interface FunctionEnv {
  SUPABASE_URL: string;
  SUPABASE_ANON_KEY: string;
  SUPABASE_SERVICE_ROLE_KEY: string;
  [name: string]: string | undefined;
}

export function envFrom(source: Record<string, string | undefined>): FunctionEnv {
  const read = (name: string) => {
    const value = source[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  return {
    ...source,
    SUPABASE_URL: read('SUPABASE_URL'),
    SUPABASE_ANON_KEY: read('SUPABASE_ANON_KEY'),
    SUPABASE_SERVICE_ROLE_KEY: read('SUPABASE_SERVICE_ROLE_KEY'),
  };
}

// The headers supabase-js's own `corsHeaders` helper allows (docs/supabase-protocol.md §1).
export const corsHeaders: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers':
    'authorization, x-client-info, apikey, content-type, x-retry-count, traceparent, tracestate, baggage, webhook-id, webhook-timestamp, webhook-signature',
  'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
};

export function preflight(req: Request): Response | null {
  return req.method === 'OPTIONS' ? new Response('ok', { headers: corsHeaders }) : null;
}

export function jsonResponse(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(data), {
    status,
    headers: { ...corsHeaders, 'Content-Type': 'application/json', ...headers },
  });
}

/** The house error body: `{"error": {"code", "message", "details"}}` (docs/api-contract.md). */
export function errorResponse(status: number, code: string, message: string, details: unknown = null): Response {
  return jsonResponse({ error: { code, message, details } }, status);
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
  }
  toResponse(): Response {
    return errorResponse(this.status, this.code, this.message, this.details);
  }
}

interface DatabaseErrorLike {
  code?: string;
  message?: string;
  details?: string | null;
  hint?: string | null;
}

// The API's refusals of the caller's token itself, each 401 from PostgREST: PGRST301 (it cannot
// be decoded or its signature is wrong), PGRST302 (none where one is required), PGRST303 (a
// claim refused: expired since the platform let it through). They are no SQLSTATE, and every
// function but one answered them 500 "Something went wrong on our side".
const TOKEN_REFUSED = new Set(['PGRST301', 'PGRST302', 'PGRST303']);

/** The HTTP status PostgREST gives a SQLSTATE (docs/api-contract.md "Errors"), reused for function answers. */
export function statusForSqlState(code: string | undefined, authenticated = true): number {
  if (!code) return 500;
  if (TOKEN_REFUSED.has(code)) return 401;
  const custom = /^PT(\d{3})$/.exec(code);
  if (custom) return Number(custom[1]);
  if (code === '42501') return authenticated ? 403 : 401;
  if (code === '23505') return 409;
  if (code === '22023' || code === 'P0001' || code.startsWith('22') || code.startsWith('23')) return 400;
  if (code === 'PGRST202' || code === '42883') return 404;
  // The API refused the size of a request a function built (PostgREST's own code): that is
  // the size of what was sent (a document's text), never a failure of ours.
  if (code === 'PGRST413') return 413;
  return 500;
}

/** Turns an error from `supabase.rpc` into an HttpError that never leaks SQL or stack traces. */
export function fromDatabaseError(error: DatabaseErrorLike): HttpError {
  const status = statusForSqlState(error.code);
  if (status === 413) return new HttpError(413, 'payload_too_large', 'This is too large to store in one request; split it into smaller parts.');
  // The token, not the request: PostgREST's words ("JWT expired") are a provider's, never shown.
  if (status === 401) return new HttpError(401, 'unauthorized', 'Sign in again to use this function.');
  if (status >= 500) return new HttpError(500, 'internal_error', 'Something went wrong on our side. Please try again.');
  return new HttpError(status, error.code ?? 'error', error.message ?? 'Request failed', error.hint ?? error.details ?? null);
}

// The largest body a function reads (the biggest, an ingest batch of 500 events, is ~300 kB).
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

// JSON is UTF-8 (RFC 8259 §8.1). Bytes that are not (a Latin-1 'é', a cut sequence) are
// refused, never read as U+FFFD and stored as 'Caf\uFFFD' for the person who sent 'Café'.
// A leading byte-order mark is kept in the text (ignoreBOM: else the decoder drops it), so the
// text is exactly the bytes sent: ingest verifies a signature over them, which a sender made
// over the mark too. parseJsonText skips it.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The body as text, never holding more than MAX_BODY_BYTES: a declared or streamed excess
 * is a 413 before the rest is read; bytes that are not UTF-8 are 422 invalid_body.
 */
export async function readBodyText(req: Request, limit = MAX_BODY_BYTES): Promise<string> {
  const tooLarge = () => new HttpError(413, 'payload_too_large', `The request body is larger than ${limit} bytes.`);
  const declared = Number(req.headers.get('content-length') ?? 0);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new HttpError(422, 'invalid_body', 'The request body is not UTF-8 text.');
  }
}

/** The answer to JSON nested past MAX_JSON_DEPTH: bad input, 400 22023 as the API answers it. */
export function jsonTooDeepError(): HttpError {
  return new HttpError(400, '22023', `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`,
    'Send a plain JSON object a few levels deep.');
}

/**
 * The one way a function turns body text into a value: JSON nested past MAX_JSON_DEPTH is
 * refused before any parser recurses into it (jsonTooDeepError, 400 22023), text that is
 * not JSON is 422 `invalid_body` with `notJson` as its message. A function that needs the
 * raw bytes first (ingest verifies a signature over them) reads them with readBodyText and
 * parses them here; one with its own error shape (MCP's JSON-RPC) converts the HttpError.
 */
export function parseJsonText(text: string, notJson = 'The request body must be a JSON object.'): unknown {
  if (jsonTooDeep(text)) throw jsonTooDeepError();
  let value: unknown;
  try {
    // A byte-order mark before the JSON text may be ignored (RFC 8259 §8.1); JSON.parse refuses it.
    value = JSON.parse(text.startsWith('\ufeff') ? text.slice(1) : text);
  } catch {
    throw new HttpError(422, 'invalid_body', notJson);
  }
  // Two things JSON allows that no text in the database can hold (PostgreSQL answers them
  // 22P02 and 22P05 in its own words, after the function did its other reads): half of a
  // character (\ud800) and the NUL character (\u0000). Only an escape can carry either: raw
  // UTF-8 cannot hold half a character, readBodyText refused bytes that are not UTF-8, and
  // JSON itself refuses a raw control character. And one key no body can carry through:
  // `__proto__`, which JSON.parse keeps as a key but zod's records (params, metadata, a
  // tool's arguments) take for the object's prototype, so it vanished and the rest ran
  // without it. Each is refused here, by where it is.
  const refused = MAY_HOLD_REFUSED.test(text) ? refusedTextAt(value, []) : null;
  if (refused !== null) {
    throw new HttpError(422, 'invalid_body', REFUSED_TEXT[refused.kind].message,
      [{ path: refused.path, message: REFUSED_TEXT[refused.kind].issue }]);
  }
  return value;
}

// What body text must hold for refusedTextAt to find anything: an escape of half a character,
// of NUL or of a letter of `__proto__`, or that key as it is.
const MAY_HOLD_REFUSED = /\\u(?:[dD][89a-fA-F]|0000|005[fF]|0070|0072|006[fF]|0074)|__proto__/;

const REFUSED_TEXT = {
  surrogate: {
    message: 'The request body holds half of a character (an unpaired surrogate such as \\ud800).',
    issue: 'must not hold an unpaired surrogate',
  },
  nul: {
    message: 'The request body holds the NUL character (\\u0000), which no text can store.',
    issue: 'must not hold \\u0000',
  },
  proto: {
    message: 'The request body holds the key __proto__, which no request takes.',
    issue: 'must not be the key __proto__',
  },
} as const;
type RefusedKind = keyof typeof REFUSED_TEXT;

/** Why a string cannot be stored: null when it can. */
function unstorableKind(text: string): RefusedKind | null {
  if (!isWellFormedText(text)) return 'surrogate';
  return text.includes('\u0000') ? 'nul' : null;
}

/**
 * Where in a parsed body a string or key is refused ('a.0.b'; '' for the body itself), and
 * why; null if nowhere.
 */
function refusedTextAt(value: unknown, path: string[]): { path: string; kind: RefusedKind } | null {
  if (typeof value === 'string') {
    const kind = unstorableKind(value);
    return kind === null ? null : { path: path.join('.'), kind };
  }
  if (value === null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value)) {
    const at = [...path, quotedBriefly(key)];
    const kind = key === '__proto__' ? 'proto' : unstorableKind(key);
    if (kind !== null) return { path: at.join('.'), kind };
    const found = refusedTextAt(item, at);
    if (found !== null) return found;
  }
  return null;
}

/** Parses a JSON body with the request's zod schema: a bad body is a 422 listing the issues. */
export async function parseJsonBody<T>(req: Request, schema: ZodType<T>): Promise<T> {
  const raw = parseJsonText(await readBodyText(req));
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new HttpError(422, 'invalid_body', 'The request body is not valid.', bodyIssues(parsed.error));
  }
  return parsed.data;
}

/**
 * A body's problems as a 422 lists them, `{path, message}`, repeating what the caller sent
 * (a key in the path, an unrecognized key) in at most 60 characters: zod repeats it whole, and
 * a body with a key of 1 MB was answered with an error of 1 MB.
 */
export function bodyIssues(error: ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((segment) => quotedBriefly(String(segment))).join('.'),
    message: issue.code === 'unrecognized_keys' ? unrecognizedKeysMessage(issue.keys) : issue.message,
  }));
}

/** The token of an `Authorization: Bearer <token>` header; null without one. */
export function bearerToken(req: Request): string | null {
  return /^Bearer\s+(\S+)\s*$/i.exec(req.headers.get('Authorization') ?? '')?.[1] ?? null;
}

/**
 * A JWT's claims, read without verifying it (the gateway verified it; the database checks
 * it again): null when the token is no JWT.
 */
function jwtClaims(token: string): Record<string, unknown> | null {
  const payload = /^[^.]+\.([^.]+)\.[^.]*$/.exec(token)?.[1];
  if (!payload) return null;
  try {
    const claims: unknown = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '=')));
    return claims && typeof claims === 'object' && !Array.isArray(claims) ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The claims of the request's bearer JWT, read without verifying it; null without one. */
export function bearerClaims(req: Request): Record<string, unknown> | null {
  const token = bearerToken(req);
  return token === null ? null : jwtClaims(token);
}

/**
 * Whose token a request carries:
 *   `person`   a signed-in person's access token (role `authenticated` with a `sub`),
 *   `service`  the service role (the project's key, or a JWT claiming role `service_role`,
 *              which the database verifies before it runs anything as that role),
 *   `nobody`   no bearer, or one that is nobody's: the anon key, a publishable key
 *              (`sb_publishable_…`, no JWT), a Storage signed-URL token (no role), any
 *              other role or text.
 * A routing decision only: the signature is the gateway's and the database's to check.
 */
export function bearerKind(req: Request, env: FunctionEnv): 'person' | 'service' | 'nobody' {
  const token = bearerToken(req);
  if (!token) return 'nobody';
  if (secretsEqual(token, env.SUPABASE_SERVICE_ROLE_KEY)) return 'service';
  const claims = jwtClaims(token);
  if (claims?.role === 'service_role') return 'service';
  if (claims?.role === 'authenticated' && typeof claims.sub === 'string' && claims.sub.trim() !== '') return 'person';
  return 'nobody';
}

/**
 * Whether the scheduler calls (the service role: its key, or a JWT of that role): the one rule
 * for every function it calls (outbox-drain, daily-brief). Such a caller's own bearer goes on to
 * the database (serviceCallerClient), which verifies it again before it runs anything as that role.
 */
export function isServiceCaller(req: Request, env: FunctionEnv): boolean {
  return bearerKind(req, env) === 'service';
}

/** supabase-js with the request's bearer on every call; `headers` added to (or replacing) it. */
function clientWithBearer(req: Request, env: FunctionEnv, headers: Record<string, string> = {}): SupabaseClient {
  return createClient(env.SUPABASE_URL, env.SUPABASE_ANON_KEY, {
    global: { headers: { Authorization: req.headers.get('Authorization')!, ...headers } },
    auth: { persistSession: false, autoRefreshToken: false },
  });
}

/**
 * A client acting as the caller: their JWT travels with every RPC, so RLS decides. Any
 * bearer that is not a signed-in person's (none, the anon or a publishable key, the service
 * role key, a Storage signed-URL token) is 401 "Sign in", never the database's
 * "permission denied" for whatever role it carries.
 */
export function callerClient(req: Request, env: FunctionEnv, headers: Record<string, string> = {}): SupabaseClient {
  if (bearerKind(req, env) !== 'person') throw new HttpError(401, 'unauthorized', 'Sign in to use this function.');
  return clientWithBearer(req, env, headers);
}

/**
 * A client for a function only the scheduler calls (outbox-drain): the service role's
 * bearer travels with every RPC, so the database still decides. A person's token is 403
 * and any other bearer 401, in house words, never the database's "permission denied".
 */
export function serviceCallerClient(req: Request, env: FunctionEnv): SupabaseClient {
  if (isServiceCaller(req, env)) return clientWithBearer(req, env);
  if (bearerKind(req, env) === 'person') {
    throw new HttpError(403, '42501', 'Only the scheduler may call this function.', 'It runs with the service role key, not a person\'s sign-in.');
  }
  throw new HttpError(401, 'unauthorized', 'Send the service role key: Authorization: Bearer <service role key>.');
}

/** The service role, only for named RPCs the caller may not run directly (e.g. signed ingest). */
export function serviceClient(env: FunctionEnv): SupabaseClient {
  return createClient(env.SUPABASE_URL, env.SUPABASE_SERVICE_ROLE_KEY, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
}

/**
 * A 405 says which methods the function takes (RFC 9110 §15.5.6: it must): every function
 * takes POST, and OPTIONS for CORS.
 */
function withAllow(response: Response): Response {
  if (response.status === 405) response.headers.set('Allow', 'POST, OPTIONS');
  return response;
}

/** Runs a handler body and answers any failure with the house error body. */
export async function answer(req: Request, body: () => Promise<Response>): Promise<Response> {
  const early = preflight(req);
  if (early) return early;
  try {
    return await body();
  } catch (error) {
    if (error instanceof HttpError) return withAllow(error.toResponse());
    console.error(error);
    return errorResponse(500, 'internal_error', 'Something went wrong on our side. Please try again.');
  }
}
