// /set-password: where the invitation and reset-password links land. Auth sends the
// browser here with the new session in the address's fragment (#access_token=…&type=invite
// or recovery), or with the error there; the person chooses a password and is signed in.
import { useEffect, useState, type FormEvent } from 'react';
import type { Api } from '../lib/api.ts';
import { InlineError, LoadingState } from '../components/States.tsx';
import { navigate } from '../lib/router.ts';
import { authErrorText, setMyPassword } from '../features/account/password.ts';
import { usePasswordPair } from '../features/account/usePasswordPair.tsx';
import '../features/admin-people/admin.css';

type LinkState = { kind: 'checking' } | { kind: 'ready'; type: string } | { kind: 'broken'; message: string };

export function SetPasswordPage({ api }: { api: Api }) {
  const [link, setLink] = useState<LinkState>({ kind: 'checking' });
  const pair = usePasswordPair({ repeatLabel: 'Repeat it', autoFocus: true });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const fragment = new URLSearchParams(window.location.hash.slice(1));
    // The tokens leave the address bar at once (history, screenshots, shared links).
    if (window.location.hash) window.history.replaceState(null, '', window.location.pathname);
    const accessToken = fragment.get('access_token');
    const refreshToken = fragment.get('refresh_token');
    if (fragment.get('error')) {
      setLink({ kind: 'broken', message: fragment.get('error_code') === 'otp_expired'
        ? 'This link has expired or was already used. Ask your admin for a new invitation, or request a new reset link.'
        : fragment.get('error_description') ?? 'This link does not work.' });
      return;
    }
    void (async () => {
      if (accessToken && refreshToken) {
        const { error: sessionError } = await api.client.auth.setSession({ access_token: accessToken, refresh_token: refreshToken });
        if (sessionError) return setLink({ kind: 'broken', message: authErrorText(sessionError) });
        return setLink({ kind: 'ready', type: fragment.get('type') ?? 'recovery' });
      }
      const { data } = await api.client.auth.getSession();
      setLink(data.session ? { kind: 'ready', type: 'change' } : { kind: 'broken', message: 'Open this page from the link in your email.' });
    })();
  }, [api]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    if (!pair.check()) return;
    setBusy(true);
    const problem = await setMyPassword(api.client, pair.password, pair.confirm);
    setBusy(false);
    if (problem) return setError(new Error(problem));
    navigate('/', { replace: true });
  }

  return (
    <main className="signin">
      <div className="signin-card">
        <div className="brand brand-large"><span className="brand-mark" aria-hidden="true">R</span> Renubu</div>
        {link.kind === 'checking' ? <LoadingState label="Checking your link…" /> : null}
        {link.kind === 'broken' ? (
          <>
            <h1>This link does not work</h1>
            <p className="inline-error" role="alert">{link.message}</p>
            <a className="btn btn-block" href="/reset-password">Request a new link</a>
          </>
        ) : null}
        {link.kind === 'ready' ? (
          <>
            <h1>{link.type === 'invite' ? 'Welcome — choose your password' : 'Choose a new password'}</h1>
            <form className="form" onSubmit={submit} noValidate>
              {pair.fields}
              <InlineError error={error} />
              <button type="submit" className="btn btn-primary btn-block" disabled={busy}>{busy ? 'Saving…' : 'Save and open Renubu'}</button>
            </form>
          </>
        ) : null}
      </div>
    </main>
  );
}
