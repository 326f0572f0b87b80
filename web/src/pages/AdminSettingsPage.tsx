// Admin → Settings: the organisation's time zone, email approval rule, the orchestrator's
// thresholds, snooze limits, when the daily brief is due and which LLM the assistant uses.
// Saved as one validated change: a wrong value is named and nothing changes.
import { useEffect, useMemo, useState } from 'react';
import { EmptyState, ErrorState, InlineError, LoadingState } from '../components/States.tsx';
import { AdminNav } from '../features/admin-people/AdminNav.tsx';
import { adminDefinitionsApi, type OrganisationSettings } from '../features/admin-definitions/api.ts';
import '../features/admin-definitions/admin-definitions.css';
import { useAsync } from '../hooks/useAsync.ts';
import { useWorkspace } from '../lib/context.ts';

export function AdminSettingsPage() {
  const { api, profile } = useWorkspace();
  const admin = useMemo(() => adminDefinitionsApi(api.client), [api]);
  const settings = useAsync(() => admin.getOrganisationSettings(), [admin]);
  const [form, setForm] = useState<OrganisationSettings | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => { if (settings.data) setForm(settings.data); }, [settings.data]);

  if (profile.role !== 'admin') return <EmptyState title="Only admins change the organisation's settings." />;
  if (settings.error) return <div className="page page-narrow"><AdminNav /><ErrorState error={settings.error} onRetry={() => void settings.reload()} /></div>;
  if (!form) return <div className="page page-narrow"><AdminNav /><LoadingState rows={5} /></div>;

  const num = <G extends 'thresholds' | 'snooze'>(group: G, key: keyof OrganisationSettings[G]) => ({
    type: 'number' as const,
    value: String(form[group][key]),
    onChange: (event: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [group]: { ...form[group], [key]: Number(event.target.value) } }),
  });

  async function save(event: React.FormEvent) {
    event.preventDefault();
    if (!form) return;
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      const answer = await admin.updateOrganisationSettings({
        time_zone: form.time_zone, email: form.email, thresholds: form.thresholds, snooze: form.snooze, brief: form.brief, llm: form.llm,
      });
      settings.setData(answer);
      setSaved('Settings saved.');
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="page page-narrow">
      <div className="page-head"><h1>Administration</h1></div>
      <AdminNav />
      <form className="form" onSubmit={(event) => void save(event)}>
        <section className="panel" aria-labelledby="settings-general">
          <h2 id="settings-general">Organisation</h2>
          <div className="field-row">
            <label className="field"><span>Time zone <span className="field-hint">(e.g. Europe/Paris)</span></span>
              <input value={form.time_zone} onChange={(event) => setForm({ ...form, time_zone: event.target.value })} /></label>
            <label className="field"><span>Daily brief at <span className="field-hint">(local time)</span></span>
              <input type="time" value={form.brief.time} onChange={(event) => setForm({ ...form, brief: { time: event.target.value } })} /></label>
            <label className="field"><span>Assistant model</span>
              <input value={form.llm.model} onChange={(event) => setForm({ ...form, llm: { model: event.target.value } })} /></label>
          </div>
        </section>
        <section className="panel" aria-labelledby="settings-email">
          <h2 id="settings-email">Email</h2>
          <label className="check"><input type="checkbox" checked={form.email.require_approval}
            onChange={(event) => setForm({ ...form, email: { ...form.email, require_approval: event.target.checked } })} />
            <span>An email draft must be approved before it is sent</span></label>
          <label className="check"><input type="checkbox" checked={form.email.allow_self_approval}
            onChange={(event) => setForm({ ...form, email: { ...form.email, allow_self_approval: event.target.checked } })} />
            <span>Its author may approve it themselves</span></label>
        </section>
        <section className="panel" aria-labelledby="settings-thresholds">
          <h2 id="settings-thresholds">When work is opened</h2>
          <div className="field-row">
            <label className="field"><span>Risk assessment from risk score</span><input min={0} max={100} {...num('thresholds', 'risk_score_trigger')} /></label>
            <label className="field"><span>Opportunity from opportunity score</span><input min={0} max={100} {...num('thresholds', 'opportunity_score_trigger')} /></label>
            <label className="field"><span>No renewal work after (days overdue)</span><input min={1} max={365} {...num('thresholds', 'renewal_overdue_cutoff_days')} /></label>
          </div>
        </section>
        <section className="panel" aria-labelledby="settings-snooze">
          <h2 id="settings-snooze">Snooze</h2>
          <div className="field-row">
            <label className="field"><span>Fewest days</span><input min={1} max={365} {...num('snooze', 'min_days')} /></label>
            <label className="field"><span>Default days</span><input min={1} max={365} {...num('snooze', 'default_days')} /></label>
            <label className="field"><span>Most days</span><input min={1} max={365} {...num('snooze', 'max_days')} /></label>
          </div>
          <p className="small muted">The same limits as the Snooze action on the Actions page.</p>
        </section>
        <div className="btn-row">
          <button type="submit" className="btn btn-primary" disabled={busy}>{busy ? 'Saving…' : 'Save settings'}</button>
        </div>
        <p className="muted" aria-live="polite">{saved}</p>
        <InlineError error={error} />
      </form>
    </div>
  );
}
