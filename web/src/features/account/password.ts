// What the password forms check before asking Auth (which checks again: config.toml
// [auth] minimum_password_length).
export const MIN_PASSWORD_LENGTH = 8;

export function passwordProblem(password: string, confirm: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password !== confirm) return 'The two passwords differ.';
  return null;
}
