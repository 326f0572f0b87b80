// What the sign-in and reset-password forms check before asking Auth, in the app's words
// rather than the browser's "Please fill out this field" or "Please include an '@'": each
// problem names the field it is about, which the form says beside that field.

import { isEmailAddress } from '../../lib/emailAddress.ts';

export type SignInField = 'email' | 'password';

/** What is wrong with an email entry, or null. Lenient on purpose: Auth decides whether the account exists. */
export function emailEntryProblem(email: string): string | null {
  const address = email.trim();
  if (address === '') return 'Enter your email address.';
  if (!isEmailAddress(address)) return 'Enter an email address, such as sam@example.com.';
  return null;
}

/** The first problem of the sign-in form, in the form's order, or null when it may be sent. */
export function signInFieldProblem(email: string, password: string): { field: SignInField; message: string } | null {
  const emailProblem = emailEntryProblem(email);
  if (emailProblem) return { field: 'email', message: emailProblem };
  if (password === '') return { field: 'password', message: 'Enter your password.' };
  return null;
}
