// What the password forms check before asking Auth (which checks again: config.toml
// [auth] minimum_password_length), and the one way they set a password.
import type { SupabaseClient } from '@supabase/supabase-js';

export const MIN_PASSWORD_LENGTH = 8;

/** What is wrong with the two entries, and which one it is about: the forms say it beside that field. */
export function passwordFieldProblem(password: string, confirm: string): { field: 'password' | 'confirm'; message: string } | null {
  if (password.length < MIN_PASSWORD_LENGTH) return { field: 'password', message: `Use at least ${MIN_PASSWORD_LENGTH} characters.` };
  if (password !== confirm) return { field: 'confirm', message: 'The two passwords differ.' };
  return null;
}

export function passwordProblem(password: string, confirm: string): string | null {
  return passwordFieldProblem(password, confirm)?.message ?? null;
}

/** GoTrue's password refusals in words. */
export function authErrorText(error: { code?: string; message: string }): string {
  if (error.code === 'same_password') return 'That is your current password: choose a new one.';
  if (error.code === 'weak_password') return error.message;
  if (error.code === 'over_email_send_rate_limit' || error.code === 'over_request_rate_limit') return 'Too many attempts in a short time. Wait a minute, then try again.';
  return error.message;
}

/**
 * Sets the signed-in person's password (the account page, and the invitation or reset
 * link's page) once both entries agree: what is wrong in words, or null when it is set.
 */
export async function setMyPassword(client: Pick<SupabaseClient, 'auth'>, password: string, confirm: string): Promise<string | null> {
  const problem = passwordProblem(password, confirm);
  if (problem) return problem;
  const { error } = await client.auth.updateUser({ password });
  return error ? authErrorText(error) : null;
}
