// Admin → Settings: the organisation's time zone, email approval rule, the orchestrator's
// thresholds, snooze limits, when the daily brief is due and which LLM the assistant uses.
// Saved as one validated change: a wrong value is named beside its field and nothing changes.
import { useEffect, useMemo, useRef, useState } from 'react';
import { EmptyState, ErrorState, InlineError, LoadingState } from '../components/States.tsx';
import { describedBy, FieldError, FormField } from '../components/FieldError.tsx';
import { AdminNav } from '../features/admin-people/AdminNav.tsx';
import { adminDefinitionsApi, type OrganisationSettings } from '../features/admin-definitions/api.ts';
import { NO_ERRORS, placeErrors, type PlacedErrors } from '../features/admin-definitions/fieldErrors.ts';
import { snoozeLimitsProblem, snoozeProblemsAfterChange, type SnoozeProblemKeys } from '../features/admin-definitions/snoozeLimits.ts';
import { SnoozeDaysFields } from '../features/admin-definitions/SnoozeDaysFields.tsx';
import { ORGANISATION_LABELS, THRESHOLD_LABELS, THRESHOLDS_HEADING } from '../features/admin-definitions/settingWords.ts';
import '../features/admin-definitions/admin-definitions.css';
import { useAsync } from '../hooks/useAsync.ts';
import { useWorkspace } from '../lib/context.ts';

/** Where this page keeps the snooze days' problems (the server's keys, and the section for the three together). */
const SNOOZE_PROBLEM_KEYS: SnoozeProblemKeys = {
  min_days: 'snooze.min_days', default_days: 'snooze.default_days', max_days: 'snooze.max_days', together: 'snooze',
};

/** The settings (and sections) a problem of update_organisation_settings may name. */
const SETTING_KEYS = [
  'time_zone', 'brief.time', 'llm.model', 'email',
  'thresholds', 'thresholds.risk_score_trigger', 'thresholds.opportunity_score_trigger', 'thresholds.renewal_overdue_cutoff_days',
  'snooze', 'snooze.min_days', 'snooze.default_days', 'snooze.max_days',
] as const;

type Thresholds = OrganisationSettings['thresholds'];

export function AdminSettingsPage() {
  const { api, profile } = useWorkspace();
  const admin = useMemo(() => adminDefinitionsApi(api.client), [api]);
  const settings = useAsync(() => admin.getOrganisationSettings(), [admin]);
  const [form, setForm] = useState<OrganisationSettings | null>(null);
  const [errors, setErrors] = useState<PlacedErrors>(NO_ERRORS);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const formNode = useRef<HTMLFormElement>(null);
  // Set by a save that found problems: only then does the focus move to them (a problem that
  // goes as a field is corrected leaves the focus where the person types).
  const focusProblem = useRef(false);
  useEffect(() => { if (settings.data) setForm(settings.data); }, [settings.data]);
  // The first field named takes the focus, which brings it (and its problem) into view.
  useEffect(() => {
    if (!focusProblem.current) return;
    focusProblem.current = false;
    formNode.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);

  if (profile.role !== 'admin') return <EmptyState title="Only admins change the organisation's settings." />;
  if (settings.error) return <div className="page page-narrow"><AdminNav /><ErrorState error={settings.error} onRetry={() => void settings.reload()} /></div>;
  if (!form) return <div className="page page-narrow"><AdminNav /><LoadingState rows={5} /></div>;

  const fields = errors.fields;
  const sectionError = (section: string): [string, string | undefined] => [`settings-${section}-error`, fields[section]];
  const threshold = (key: keyof Thresholds, label: string, min: number, max: number) => (
    <FormField label={label} error={fields[`thresholds.${key}`]} sectionError={sectionError('thresholds')}>
      {(control) => <input {...control} type="number" min={min} max={max} value={String(form.thresholds[key])}
        onChange={(event) => setForm({ ...form, thresholds: { ...form.thresholds, [key]: Number(event.target.value) } })} />}
    </FormField>
  );

  /** A save's problems, shown with the focus on the first field they name. */
  function showProblems(found: PlacedErrors) {
    focusProblem.current = true;
    setErrors(found);
  }

  async function save(event: React.FormEvent) {
    event.preventDefault();
    if (!form) return;
    setSaved(null);
    const snoozeProblem = snoozeLimitsProblem(form.snooze);
    if (snoozeProblem) return showProblems({ fields: { snooze: snoozeProblem }, general: null });
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const answer = await admin.updateOrganisationSettings({
        time_zone: form.time_zone, email: form.email, thresholds: form.thresholds, snooze: form.snooze, brief: form.brief, llm: form.llm,
      });
      settings.setData(answer);
      setSaved('Settings saved.');
    } catch (caught) {
      showProblems(placeErrors(caught, SETTING_KEYS));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="page page-narrow">
      <AdminNav />
      <div className="page-head"><h1>Settings</h1></div>
      {/* noValidate: a number out of range is said beside its field in the server's words
          ("Must be a whole number from 0 to 100."), not in the browser's bubble. */}
      <form ref={formNode} className="form" onSubmit={(event) => void save(event)} noValidate>
        <section className="panel" aria-labelledby="settings-general">
          <h2 id="settings-general">Organisation</h2>
          <div className="field-row">
            <FormField label={<>{ORGANISATION_LABELS.time_zone} <span className="field-hint">(e.g. Europe/Paris)</span></>} error={fields.time_zone}>
              {(control) => <input {...control} value={form.time_zone} onChange={(event) => setForm({ ...form, time_zone: event.target.value })} />}
            </FormField>
            <FormField label={<>{ORGANISATION_LABELS['brief.time']} <span className="field-hint">(local time)</span></>} error={fields['brief.time']}>
              {(control) => <input {...control} type="time" value={form.brief.time} onChange={(event) => setForm({ ...form, brief: { time: event.target.value } })} />}
            </FormField>
            {/* Recorded on each new chat for reference: the model that answers is the one the
                server runs (OLLAMA_MODEL, docs/ai-assistant.md), so the label says so. */}
            <FormField label={<>{ORGANISATION_LABELS['llm.model']} <span className="field-hint">(noted on each chat; the server's model answers)</span></>} error={fields['llm.model']}>
              {(control) => <input {...control} value={form.llm.model} onChange={(event) => setForm({ ...form, llm: { model: event.target.value } })} />}
            </FormField>
          </div>
        </section>
        <section className="panel" aria-labelledby="settings-email">
          <h2 id="settings-email">Email</h2>
          <label className="check"><input type="checkbox" checked={form.email.require_approval} {...describedBy(sectionError('email'))}
            onChange={(event) => setForm({ ...form, email: { ...form.email, require_approval: event.target.checked } })} />
            <span>An email draft must be approved before it is sent</span></label>
          <label className="check"><input type="checkbox" checked={form.email.allow_self_approval} {...describedBy(sectionError('email'))}
            onChange={(event) => setForm({ ...form, email: { ...form.email, allow_self_approval: event.target.checked } })} />
            <span>Its author may approve it themselves</span></label>
          <FieldError id={sectionError('email')[0]} message={fields.email} />
        </section>
        <section className="panel" aria-labelledby="settings-thresholds">
          <h2 id="settings-thresholds">{THRESHOLDS_HEADING}</h2>
          <div className="field-row">
            {threshold('risk_score_trigger', THRESHOLD_LABELS.risk_score_trigger, 0, 100)}
            {threshold('opportunity_score_trigger', THRESHOLD_LABELS.opportunity_score_trigger, 0, 100)}
            {threshold('renewal_overdue_cutoff_days', THRESHOLD_LABELS.renewal_overdue_cutoff_days, 1, 365)}
          </div>
          <FieldError id={sectionError('thresholds')[0]} message={fields.thresholds} />
        </section>
        <section className="panel" aria-labelledby="settings-snooze">
          <h2 id="settings-snooze">Snooze</h2>
          <SnoozeDaysFields values={{ min_days: String(form.snooze.min_days), default_days: String(form.snooze.default_days), max_days: String(form.snooze.max_days) }}
            errors={{ min_days: fields['snooze.min_days'], default_days: fields['snooze.default_days'], max_days: fields['snooze.max_days'], together: fields.snooze }}
            onChange={(key, text) => {
              const snooze = { ...form.snooze, [key]: Number(text) };
              setForm({ ...form, snooze });
              // A problem of the days goes as they are corrected, not at the next save.
              setErrors((shown) => {
                const fields = snoozeProblemsAfterChange(shown.fields, key, snooze, SNOOZE_PROBLEM_KEYS);
                return fields === shown.fields ? shown : { ...shown, fields };
              });
            }} />
          <p className="small muted">The same limits as the Snooze action on the Actions page.</p>
        </section>
        <div className="btn-row">
          <button type="submit" className="btn btn-primary" disabled={busy}>{busy ? 'Saving…' : 'Save settings'}</button>
        </div>
        <p className="muted" aria-live="polite">{saved}</p>
        <InlineError error={errors.general} />
      </form>
    </div>
  );
}
