// Account → change my password (supabase.auth.updateUser). Other sessions of mine end;
// this one stays signed in.
import { useState, type FormEvent } from 'react';
import type { SupabaseClient } from '@supabase/supabase-js';
import { InlineError } from '../../components/States.tsx';
import { setMyPassword } from './password.ts';
import { usePasswordPair } from './usePasswordPair.tsx';

export function ChangePassword({ client, headingId = 'account-password' }: { client: SupabaseClient; headingId?: string }) {
  const pair = usePasswordPair({ repeatLabel: 'Repeat the new password' });
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setDone(false);
    if (!pair.check()) return;
    setBusy(true);
    const problem = await setMyPassword(client, pair.password, pair.confirm);
    setBusy(false);
    if (problem) return setError(new Error(problem));
    pair.reset();
    setDone(true);
  }

  return (
    <section className="panel account-section" aria-labelledby={headingId}>
      <h2 id={headingId}>Account</h2>
      <form className="form" onSubmit={submit} noValidate>
        {pair.fields}
        <InlineError error={error} />
        {done ? <p className="notice notice-success" role="status">Your password is changed. Other devices are signed out.</p> : null}
        <div><button type="submit" className="btn" disabled={busy}>{busy ? 'Saving…' : 'Change password'}</button></div>
      </form>
    </section>
  );
}
