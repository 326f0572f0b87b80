// Admin → Integrations: the organisation's ingest address, its webhook secrets (create,
// rotate with an overlap, revoke) and the last deliveries with their result.
import { useCallback, useMemo, useRef, useState } from 'react';
import { Badge } from '../components/Badges.tsx';
import { EmptyState, ErrorState, InlineError, LoadingState } from '../components/States.tsx';
import { AdminNav } from '../features/admin-people/AdminNav.tsx';
import { adminApi, secretState, type Delivery, type WebhookSecret } from '../features/admin-people/api.ts';
import { useAsync } from '../hooks/useAsync.ts';
import { formatDateTime, humanize, newId } from '../lib/format.ts';
import { sendOnce } from '../lib/pendingKeys.ts';
import { useWorkspace } from '../lib/context.ts';
import { TableScroller } from '../components/TableScroller.tsx';
import { CopyText } from '../components/CopyText.tsx';
import { NewSecret } from '../features/admin-people/NewSecret.tsx';
import { useReturnFocus } from '../hooks/useReturnFocus.ts';

const OUTCOME_TONE: Record<Delivery['outcome'], string> = {
  applied: 'success', replayed: 'neutral', bad_signature: 'danger', stale_timestamp: 'warning', invalid_body: 'warning', rejected: 'warning', failed: 'danger',
};

// Who may not manage them is told so before anything is asked of the server (which would refuse).
export function AdminIntegrationsPage() {
  const { profile } = useWorkspace();
  if (profile.role !== 'admin') return <EmptyState title="Only admins manage integrations." />;
  return <Integrations />;
}

function Integrations() {
  const { api, config, profile } = useWorkspace();
  const admin = useMemo(() => adminApi(api), [api]);
  const overview = useAsync(() => admin.getIntegrations(), [admin]);
  const [shown, setShown] = useState<{ label: string; secret: string } | null>(null);
  const [label, setLabel] = useState('');
  const [overlap, setOverlap] = useState(24);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // Where the focus goes once the new secret is put away: the way to make another.
  const createButton = useReturnFocus<HTMLButtonElement>();
  // Revoke asks first (a sender still signing with the secret is refused from then on, with no
  // way back); Keep it gives the focus back to the row's Revoke, a revocation to what it did.
  const [revoking, setRevoking] = useState<WebhookSecret | null>(null);
  const [revokedLine, setRevokedLine] = useState<string | null>(null);
  const revokeButtons = useRef<Record<string, HTMLButtonElement | null>>({});
  const focusOnShow = useCallback((node: HTMLElement | null) => node?.focus(), []);

  async function run(action: () => Promise<{ label: string; secret: string } | null>) {
    setBusy(true);
    setError(null);
    setRevokedLine(null);
    try {
      const secret = await action();
      if (secret) setShown(secret);
      await overview.reload();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  // Under the key of the same rotation left unanswered, so Rotate pressed again after a lost
  // answer shows the secret made then, instead of the server's 'only a secret in use …' refusal.
  async function rotate(secretId: string) {
    const r = await sendOnce(`${profile.id}:rotate_webhook_secret:${secretId}`, { overlapHours: overlap }, newId(),
      (key) => admin.rotateSecret(secretId, overlap, key));
    return { label: r.secret.label, secret: r.secret.secret };
  }

  function keepSecret(secret: WebhookSecret) {
    setRevoking(null);
    setTimeout(() => revokeButtons.current[secret.id]?.focus(), 0);
  }

  function revoke(secret: WebhookSecret) {
    void run(async () => {
      await admin.revokeSecret(secret.id);
      setRevoking(null);
      setRevokedLine(`Revoked “${secret.label}”: deliveries signed with it are refused.`);
      return null;
    });
  }

  const data = overview.data;
  const ingestUrl = data ? `${config.supabaseUrl}${data.ingest_path}` : '';

  return (
    <div className="page">
      <AdminNav />
      <div className="page-head">
        <div>
          <h1>Integrations</h1>
          <p className="muted">Your CRM, billing or product analytics post signed webhooks (Standard Webhooks) to the address below.</p>
        </div>
        <div className="page-head-actions">
          <button type="button" className="btn btn-small" onClick={() => void overview.reload()} disabled={overview.loading}>Refresh</button>
        </div>
      </div>
      {overview.loading && !data ? <LoadingState label="Loading integrations…" rows={4} /> : null}
      {overview.error ? <ErrorState error={overview.error} title="Integrations could not be loaded" onRetry={() => void overview.reload()} /> : null}
      {data ? (
        <>
          <section className="admin-section" aria-labelledby="ingest-heading">
            <h2 id="ingest-heading">Ingest address</h2>
            <CopyText value={ingestUrl} label="ingest URL" />
            <p className="muted small">Sign each delivery with one of the secrets below (headers webhook-id, webhook-timestamp, webhook-signature).</p>
          </section>

          <section className="admin-section" aria-labelledby="secrets-heading">
            <h2 id="secrets-heading">Webhook secrets</h2>
            {shown ? (
              <NewSecret key={shown.secret} label={shown.label} secret={shown.secret}
                onDismissed={() => { setShown(null); createButton.returnFocus(); }} />
            ) : null}
            {revoking ? (
              <div className="notice notice-warning" role="alert">
                <p>Revoke “{revoking.label}”? Deliveries signed with it are refused from then on, and it cannot be turned back on. To let a sender switch first, rotate it instead.</p>
                <div className="btn-row">
                  <button type="button" className="btn btn-danger" disabled={busy} onClick={() => revoke(revoking)}>Revoke this secret</button>
                  <button type="button" className="btn btn-ghost" onClick={() => keepSecret(revoking)} autoFocus>Keep it</button>
                </div>
              </div>
            ) : null}
            {revokedLine ? <p ref={focusOnShow} tabIndex={-1} className="notice notice-success" role="status">{revokedLine}</p> : null}
            {data.secrets.length === 0 ? <p className="muted">No secret yet: create one to start receiving webhooks.</p> : (
              <TableScroller label="Webhook secrets">
                <table className="admin-table" aria-label="Webhook secrets">
                  <thead><tr><th>Label</th><th>Starts with</th><th>State</th><th>Created</th><th aria-label="Actions"></th></tr></thead>
                  <tbody>
                    {data.secrets.map((s) => {
                      const state = secretState(s);
                      return (
                        <tr key={s.id}>
                          <td>{s.label}</td>
                          <td><code>{s.secret_prefix}…</code></td>
                          <td><Badge tone={state.tone}>{state.label}</Badge>{s.expires_at && state.label === 'Ending' ? <div className="sub">still works until {formatDateTime(s.expires_at)}</div> : null}</td>
                          <td>{formatDateTime(s.created_at)}</td>
                          <td>
                            {state.label === 'In use' ? (
                              <span className="btn-row">
                                <button type="button" className="btn btn-small" disabled={busy} aria-label={`Rotate “${s.label}”`}
                                  onClick={() => void run(() => rotate(s.id))}>
                                  Rotate
                                </button>
                                <button ref={(node) => { revokeButtons.current[s.id] = node; }} type="button" className="btn btn-small btn-danger" disabled={busy}
                                  aria-label={`Revoke “${s.label}”`} onClick={() => { setRevokedLine(null); setRevoking(s); }}>Revoke</button>
                              </span>
                            ) : state.label === 'Ending' ? (
                              <button ref={(node) => { revokeButtons.current[s.id] = node; }} type="button" className="btn btn-small btn-danger" disabled={busy}
                                aria-label={`Revoke “${s.label}” now`} onClick={() => { setRevokedLine(null); setRevoking(s); }}>Revoke now</button>
                            ) : null}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </TableScroller>
            )}
            <div className="btn-row" style={{ marginTop: 12 }}>
              <label className="field-inline">Rotation overlap
                <select value={overlap} onChange={(event) => setOverlap(Number(event.target.value))} aria-label="Rotation overlap">
                  {[1, 24, 72, 168].map((h) => <option key={h} value={h}>{h === 168 ? '1 week' : h === 1 ? '1 hour' : `${h} hours`}</option>)}
                </select>
              </label>
              <span className="muted small">When you rotate, the old secret keeps working this long so senders can switch.</span>
            </div>
            <form className="btn-row" style={{ marginTop: 12 }} onSubmit={(event) => {
              event.preventDefault();
              // Under the key of the same request left unanswered, so creating again after a lost
              // answer shows the secret made then instead of making a second one.
              const wanted = label.trim() || 'default';
              void run(async () => {
                const s = await sendOnce(`${profile.id}:create_webhook_secret`, { label: wanted }, newId(), (key) => admin.createSecret(wanted, key));
                setLabel('');
                return { label: s.label, secret: s.secret };
              });
            }}>
              <label className="field-inline">Label of a new secret
                <input placeholder="e.g. CRM (optional)" value={label} onChange={(event) => setLabel(event.target.value)} maxLength={60} />
              </label>
              <button ref={createButton.ref} type="submit" className="btn" disabled={busy}>Create secret</button>
            </form>
            <InlineError error={error} />
          </section>

          <section className="admin-section" aria-labelledby="deliveries-heading">
            <h2 id="deliveries-heading">Last deliveries</h2>
            {data.deliveries.length === 0 ? (
              <p className="muted">Nothing received yet. Give your CRM or data pipeline the ingest address above and a
                secret: it signs each delivery with the secret (Standard Webhooks), and each one is listed here.</p>
            ) : (
              <TableScroller label="Deliveries">
                <table className="admin-table" aria-label="Deliveries">
                  <thead><tr><th>Received</th><th>Webhook id</th><th>Result</th><th className="num">Events</th><th>Message</th></tr></thead>
                  <tbody>
                    {data.deliveries.map((d) => (
                      <tr key={d.id}>
                        <td>{formatDateTime(d.received_at)}</td>
                        <td><code>{d.webhook_id ?? '—'}</code></td>
                        <td><Badge tone={OUTCOME_TONE[d.outcome] ?? 'neutral'}>{`${d.status} ${humanize(d.outcome)}`}</Badge></td>
                        <td className="num">{d.event_count}</td>
                        <td>{d.message ?? ''}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroller>
            )}
          </section>
        </>
      ) : null}
    </div>
  );
}
