// Who a function's caller is (callerProfile, functions-shared/caller-profile.ts), as the
// database answers it with their token: a token the API refuses as a token — expired since the
// platform let it through, or one it cannot verify (PostgREST's PGRST301 to PGRST303, HTTP 401)
// — is 401 with the function's "Sign in…" words, as a token of nobody (PT404) is; a
// deactivated person is the database's 403 42501; a failure on our side stays a 500.
import type { SupabaseClient } from '@supabase/supabase-js';
import { describe, expect, it } from 'vitest';
import { callerProfile, callerRefusal } from '../../functions-shared/caller-profile.ts';
import { HttpError } from '../../functions-shared/http.ts';

/** A client whose get_my_profile answers `error` with `status`, as supabase-js reports a refusal. */
function refusing(error: { code: string; message: string; hint?: string | null }, status: number): SupabaseClient {
  return { rpc: () => Promise.resolve({ data: null, error: { hint: null, details: null, ...error }, status }) } as unknown as SupabaseClient;
}

async function answerTo(db: SupabaseClient): Promise<{ status: number; code: string; message: string }> {
  try {
    await callerProfile(db, 'Sign in to use this function.');
  } catch (error) {
    if (error instanceof HttpError) return { status: error.status, code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

const SIGN_IN = { status: 401, code: 'unauthorized', message: 'Sign in to use this function.' };

describe('callerProfile: the caller as the database answers', () => {
  it.each([
    ['an expired token (PGRST303)', { code: 'PGRST303', message: 'JWT expired' }],
    ['a token that cannot be verified (PGRST301)', { code: 'PGRST301', message: 'Wrong or unsupported encoding algorithm' }],
    ['no token where one is required (PGRST302)', { code: 'PGRST302', message: 'Anonymous access is disabled' }],
    ['a token of nobody in an organisation (PT404)', { code: 'PT404', message: 'Profile not found' }],
  ])('%s: 401, told to sign in', async (_what, error) => {
    expect(await answerTo(refusing(error, error.code === 'PT404' ? 404 : 401))).toEqual(SIGN_IN);
  });

  it('a deactivated person: the database\'s 403 42501, never told to sign in', async () => {
    expect(await answerTo(refusing({ code: '42501', message: 'Your account is deactivated' }, 403)))
      .toEqual({ status: 403, code: '42501', message: 'Your account is deactivated' });
  });

  it('a failure on our side stays a 500 in house words', async () => {
    expect(await answerTo(refusing({ code: 'XX000', message: 'internal' }, 500)))
      .toEqual({ status: 500, code: 'internal_error', message: 'Something went wrong on our side. Please try again.' });
  });

  it('callerRefusal (Storage\'s 403 explained) of an expired token: 401 with its words', async () => {
    const refusal = await callerRefusal(refusing({ code: 'PGRST303', message: 'JWT expired' }, 401), 'Sign in again to read this document.');
    expect({ status: refusal.status, code: refusal.code, message: refusal.message })
      .toEqual({ status: 401, code: 'unauthorized', message: 'Sign in again to read this document.' });
  });
});
