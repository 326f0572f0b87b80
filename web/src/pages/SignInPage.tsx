// Email + password sign-in. On the local stack the seeded demo people are listed, one click
// each, so a newcomer is in the workspace in seconds: the local web server hands them out in
// the runtime configuration (config.demoPeople), so no build of the app carries them.
import { useRef, useState, type FormEvent } from 'react';
import type { Api } from '../lib/api.ts';
import type { RuntimeConfig } from '../lib/config.ts';
import { FormField } from '../components/FieldError.tsx';
import { useFieldProblem } from '../hooks/useFieldProblem.ts';
import { signInFieldProblem, type SignInField } from '../features/account/signInFields.ts';

/** What went wrong, in words: supabase-js passes on the browser's own for a network failure ("Failed to fetch"). */
function signInProblem(error: { message: string; name?: string; status?: number; code?: string }): string {
  // A deactivated person (admin → People) is a banned Auth user.
  if (error.code === 'user_banned' || error.message === 'User is banned') return 'This account has been deactivated. Ask an admin of your organisation to reactivate it.';
  if (error.message === 'Invalid login credentials') return 'That email and password do not match an account. Check both and try again, or choose “Forgot your password?” to set a new one.';
  if (error.name === 'AuthRetryableFetchError' || !error.status) return 'Renubu cannot reach its server just now. Check your connection and try again.';
  if (error.status === 429) return 'Too many sign-in attempts. Wait a minute and try again.';
  return error.message;
}

export function SignInPage({ api, config }: { api: Api; config: RuntimeConfig }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const emailField = useRef<HTMLInputElement>(null);
  const passwordField = useRef<HTMLInputElement>(null);
  // An empty or malformed entry is said beside its field, which takes the focus (as every form
  // of the app), instead of the browser's "Please fill out this field".
  const problem = useFieldProblem<SignInField>();
  const demo = config.demoPeople;

  async function signIn(withEmail: string, withPassword: string) {
    setBusy(true);
    setError(null);
    const { error: authError } = await api.client.auth.signInWithPassword({ email: withEmail.trim(), password: withPassword });
    if (authError) {
      setError(signInProblem(authError));
      setBusy(false);
      // The Sign in button was disabled while asking, which dropped the focus to the page: it
      // goes to the password, the field to correct (the error is announced as an alert).
      passwordField.current?.focus();
      passwordField.current?.select();
    }
    // On success the session gate swaps this page for the workspace.
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const found = signInFieldProblem(email, password);
    if (found) {
      setError(null);
      problem.show(found.field, found.message, found.field === 'email' ? emailField.current : passwordField.current);
      return;
    }
    void signIn(email, password);
  }

  return (
    <main className="signin">
      <div className="signin-card">
        <div className="brand brand-large"><span className="brand-mark" aria-hidden="true">R</span> Renubu</div>
        <h1>Sign in to your workspace</h1>
        <form onSubmit={onSubmit} className="form" aria-describedby={error ? 'signin-error' : undefined} noValidate>
          <FormField label="Email" error={problem.of('email')}>
            {(control) => <input ref={emailField} {...control} type="email" name="email" autoComplete="username" required value={email}
              onChange={(event) => { setEmail(event.target.value); problem.changed('email'); }} autoFocus />}
          </FormField>
          <FormField label="Password" error={problem.of('password')}>
            {(control) => <input ref={passwordField} {...control} type="password" name="password" autoComplete="current-password" required value={password}
              onChange={(event) => { setPassword(event.target.value); problem.changed('password'); }} />}
          </FormField>
          {error ? <p id="signin-error" className="inline-error" role="alert">{error}</p> : null}
          <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
          <p className="small form-links"><a href="/reset-password">Forgot your password?</a></p>
        </form>
        {demo ? (
          <section className="demo-people" aria-labelledby="demo-heading">
            <h2 id="demo-heading">Demo people <span className="muted">(local stack only)</span></h2>
            <ul>
              {demo.people.map(({ email, role }) => (
                <li key={email}>
                  <button type="button" className="demo-person" disabled={busy}
                    onClick={() => { setEmail(email); setPassword(demo.password); problem.clear(); void signIn(email, demo.password); }}>
                    <span className="demo-email">{email}</span>
                    <span className="demo-role">{role}</span>
                  </button>
                </li>
              ))}
            </ul>
            <p className="muted small">Every demo account uses the password <code>{demo.password}</code>.</p>
          </section>
        ) : null}
      </div>
    </main>
  );
}
