// /reset-password: "Forgot your password?" from the sign-in page. Auth mails a link to
// /set-password; the answer is the same whether or not the address has an account.
import { useCallback, useRef, useState, type FormEvent } from 'react';
import type { Api } from '../lib/api.ts';
import { InlineError } from '../components/States.tsx';
import { FormField } from '../components/FieldError.tsx';
import { useFieldProblem } from '../hooks/useFieldProblem.ts';
import { emailEntryProblem } from '../features/account/signInFields.ts';
import { authErrorText } from '../features/account/password.ts';

/**
 * Auth's answer to an address that has an account and was sent a link within
 * `[auth.email] max_frequency`, or when the project's hourly mail budget
 * (`[auth.rate_limit] email_sent`) is spent (429 over_email_send_rate_limit, GoTrue's rule);
 * an address without one is answered 200 every time. Said as every other answer is (the
 * sentence says to ask again later if no link arrives, true in both cases), or a second press
 * would tell anyone whether the address has an account. Too many requests from this browser
 * (over_request_rate_limit) is answered whoever is asked for, and said.
 */
function linkSentMomentsAgo(error: { code?: string }): boolean {
  return error.code === 'over_email_send_rate_limit';
}

export function ResetPasswordPage({ api }: { api: Api }) {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // An empty or malformed address is said beside the field, which takes the focus, instead of
  // the browser's "Please fill out this field".
  const problem = useFieldProblem<'email'>();
  const emailField = useRef<HTMLInputElement>(null);
  // Email me a link goes with its form: the sentence that takes its place holds the focus.
  const focusOnShow = useCallback((node: HTMLElement | null) => node?.focus(), []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setError(null);
    const emailProblem = emailEntryProblem(email);
    if (emailProblem) return problem.show('email', emailProblem, emailField.current);
    setBusy(true);
    const { error: authError } = await api.client.auth.resetPasswordForEmail(email.trim(), {
      redirectTo: `${window.location.origin}/set-password`,
    });
    setBusy(false);
    if (authError && !linkSentMomentsAgo(authError)) return setError(new Error(authErrorText(authError)));
    setSent(true);
  }

  return (
    <main className="signin">
      <div className="signin-card">
        <div className="brand brand-large"><span className="brand-mark" aria-hidden="true">R</span> Renubu</div>
        <h1>Reset your password</h1>
        {sent ? (
          <p ref={focusOnShow} tabIndex={-1} className="notice notice-success" role="status">If {email.trim()} has an account, a link to choose a new password is on its way. It works once. If none arrives within a few minutes, ask again later.</p>
        ) : (
          <form className="form" onSubmit={submit} noValidate>
            <FormField label="Email" error={problem.of('email')}>
              {(control) => <input ref={emailField} {...control} type="email" name="email" autoComplete="username" required autoFocus value={email}
                onChange={(event) => { setEmail(event.target.value); problem.changed('email'); }} />}
            </FormField>
            <InlineError error={error} />
            <button type="submit" className="btn btn-primary btn-block" disabled={busy}>{busy ? 'Sending…' : 'Email me a link'}</button>
          </form>
        )}
        <p className="form-links"><a href="/">Back to sign in</a></p>
      </div>
    </main>
  );
}
