// Who the signed-in caller is, as the database says, read with their own token: the one way a
// function asks before it acts for them (invite-person, daily-brief) or explains a refusal it
// cannot read itself (Storage's 403 in extract-contract).
import type { SupabaseClient } from '@supabase/supabase-js';
import { fromDatabaseError, HttpError } from './http.ts';
import { rpc } from './api/rpc.ts';
import type { RpcResult } from './api/index.ts';

/**
 * The caller's profile. A token of nobody in an organisation (PT404), or one the API refuses as
 * a token (expired, say), is 401 with `signIn` as its words; a deactivated person is the
 * database's 403 42501 "Your account is deactivated" with its hint to ask an admin
 * (docs/api-contract.md), never told to sign in, which they cannot; anything else is the house
 * answer to the database's refusal.
 */
export function callerProfile(db: SupabaseClient, signIn = 'Sign in to use this function.'): Promise<RpcResult<'get_my_profile'>> {
  return rpc(db, 'get_my_profile', {}, {
    mapError: (error) => {
      // A token the API refuses as a token is 401 for every function (fromDatabaseError);
      // here, like a token of nobody, in this function's words.
      const refused = fromDatabaseError(error);
      return error.code === 'PT404' || refused.status === 401 ? new HttpError(401, 'unauthorized', signIn) : refused;
    },
  });
}

/**
 * The answer to a refusal the caller's token met outside the database (Storage's 403): the
 * database's own refusal of this caller if there is one (deactivated), else 401 `signIn`.
 */
export async function callerRefusal(db: SupabaseClient, signIn: string): Promise<HttpError> {
  try {
    await callerProfile(db, signIn);
  } catch (refused) {
    if (refused instanceof HttpError) return refused;
    throw refused;
  }
  return new HttpError(401, 'unauthorized', signIn);
}
