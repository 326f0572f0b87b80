// Account → change my password (supabase.auth.updateUser). Other sessions of mine end;
// this one stays signed in.
import { useState, type FormEvent } from 'react';
import type { SupabaseClient } from '@supabase/supabase-js';
import { InlineError } from '../../components/States.tsx';
import { setMyPassword } from './password.ts';

export function ChangePassword({ client, headingId = 'account-password' }: { client: SupabaseClient; headingId?: string }) {
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setDone(false);
    const problem = await setMyPassword(client, password, confirm);
    setBusy(false);
    if (problem) return setError(new Error(problem));
    setPassword('');
    setConfirm('');
    setDone(true);
  }

  return (
    <section className="panel account-section" aria-labelledby={headingId}>
      <h2 id={headingId}>Account</h2>
      <form className="form" onSubmit={submit}>
        <label className="field"><span>New password</span>
          <input type="password" name="new-password" autoComplete="new-password" value={password} onChange={(event) => setPassword(event.target.value)} required />
        </label>
        <label className="field"><span>Repeat the new password</span>
          <input type="password" name="confirm-password" autoComplete="new-password" value={confirm} onChange={(event) => setConfirm(event.target.value)} required />
        </label>
        <InlineError error={error} />
        {done ? <p className="notice notice-success" role="status">Your password is changed. Other devices are signed out.</p> : null}
        <div><button type="submit" className="btn" disabled={busy}>{busy ? 'Saving…' : 'Change password'}</button></div>
      </form>
    </section>
  );
}
