// Preferences → Devices: end every session of mine at once ("End every session", not a
// second "Sign out" button, so the header's stays the one button of that name) (a laptop left signed in, a lost
// phone). The header's Sign out ends this browser's session only (lib/api.ts signOut).
import { useState } from 'react';
import { useWorkspace } from '../../lib/context.ts';

export function SignOutEverywhere({ headingId = 'account-devices' }: { headingId?: string }) {
  const { signOut } = useWorkspace();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);

  async function signOutEverywhere() {
    setBusy(true);
    // A sign-out that fails is said by the workspace (SessionGate), which stays signed in.
    await signOut('everywhere');
    setBusy(false);
    setConfirming(false);
  }

  return (
    <section className="panel account-section" aria-labelledby={headingId}>
      <h2 id={headingId}>Devices</h2>
      <p className="muted">Sign out at the top of the page ends this browser’s session only. If Renubu is still open on a computer or phone you no longer use, end every session of yours.</p>
      {confirming ? (
        <div className="btn-row" role="group" aria-label="Confirm ending every session">
          <span>Every device, this one included, will ask you to sign in again.</span>
          <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void signOutEverywhere()}>
            {busy ? 'Ending every session…' : 'End every session'}
          </button>
          <button type="button" className="btn btn-ghost" disabled={busy} onClick={() => setConfirming(false)}>Cancel</button>
        </div>
      ) : (
        <div><button type="button" className="btn" onClick={() => setConfirming(true)}>End every session…</button></div>
      )}
    </section>
  );
}
