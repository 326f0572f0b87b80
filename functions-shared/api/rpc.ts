// The one way the functions call an RPC: arguments and result typed by the API's schemas
// (./index.ts), a PostgREST error turned into an HttpError with the house code and HTTP
// status (never SQL text). The result is not parsed at run time: the contract test
// (tests/contract/api-schemas.test.ts) parses every RPC's real results with the same
// schemas, so the types here are the ones the database keeps.
import type { SupabaseClient } from '@supabase/supabase-js';
import { fromDatabaseError, type HttpError } from '../http.ts';
import type { RpcArgs, RpcName, RpcResult } from './index.ts';

/** What supabase-js reports when an RPC fails (PostgREST's error body). */
export interface PostgrestErrorLike {
  code?: string;
  message?: string;
  details?: string | null;
  hint?: string | null;
}

export interface RpcOptions {
  /** Maps a refusal to the answer a function gives (default: fromDatabaseError). */
  mapError?: (error: PostgrestErrorLike) => HttpError;
  /** Ends the request when it fires (a bounded wait); the call then fails like any refusal. */
  signal?: AbortSignal;
}

export async function rpc<N extends RpcName>(
  db: SupabaseClient,
  name: N,
  args: RpcArgs<N>,
  options: RpcOptions = {},
): Promise<RpcResult<N>> {
  const call = db.rpc(name, args);
  const { data, error, status } = await (options.signal ? call.abortSignal(options.signal) : call);
  if (error) {
    // A gateway in front of PostgREST may refuse the request's size without PostgREST's
    // body (so without its code): the status says what happened.
    const refused = status === 413 && !error.code ? { ...error, code: 'PGRST413' } : error;
    throw (options.mapError ?? fromDatabaseError)(refused);
  }
  return data as RpcResult<N>;
}
