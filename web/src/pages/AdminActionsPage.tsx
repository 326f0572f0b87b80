// Admin → Actions: the saved actions a CSM runs on a workflow, with the limits and choices
// each offers. Changing a core action's limits gives the organisation its own version of
// it (the core one is untouched); the forms CSMs see and execute_action follow at once.
import { useMemo, useState } from 'react';
import { EmptyState, ErrorState, InlineError, LoadingState } from '../components/States.tsx';
import { AdminNav } from '../features/admin-people/AdminNav.tsx';
import { adminDefinitionsApi, type AdminSavedAction } from '../features/admin-definitions/api.ts';
import '../features/admin-definitions/admin-definitions.css';
import { useAsync } from '../hooks/useAsync.ts';
import { useWorkspace } from '../lib/context.ts';
import { useEscalationLevels, useTaskOptions } from '../features/actions/lookups.ts';

const SCOPE_WORDS: Record<AdminSavedAction['scope'], string> = { core: 'Core', override: 'Your limits', organisation: 'Your own' };

type Values = Record<string, string>;

/** The editable settings of an action as form values (text), by type. */
function toValues(action: AdminSavedAction): Values {
  const c = action.config;
  const list = (value: unknown) => (Array.isArray(value) ? value.join(', ') : '');
  switch (action.type) {
    case 'snooze': return { min_days: String(c.min_days ?? ''), default_days: String(c.default_days ?? ''), max_days: String(c.max_days ?? '') };
    case 'skip': return { reasons: Array.isArray(c.reasons) ? c.reasons.join('\n') : '' };
    case 'escalate': return { levels: list(c.levels), default_level: String(c.default_level ?? '') };
    case 'schedule_meeting': return { durations_minutes: list(c.durations_minutes), default_duration_minutes: String(c.default_duration_minutes ?? '') };
    case 'create_task': return { priorities: list(c.priorities), default_priority: String(c.default_priority ?? '') };
    default: return {};
  }
}

/** Form values back to the config changes save_saved_action takes. */
function toChanges(type: string, values: Values): Record<string, unknown> {
  const words = (text = '') => text.split(',').map((part) => part.trim()).filter(Boolean);
  switch (type) {
    case 'snooze': return { min_days: Number(values.min_days), default_days: Number(values.default_days), max_days: Number(values.max_days) };
    case 'skip': return { reasons: (values.reasons ?? '').split('\n').map((line) => line.trim()).filter(Boolean) };
    case 'escalate': return { levels: words(values.levels), default_level: values.default_level };
    case 'schedule_meeting': return { durations_minutes: words(values.durations_minutes).map(Number), default_duration_minutes: Number(values.default_duration_minutes) };
    case 'create_task': return { priorities: words(values.priorities), default_priority: values.default_priority };
    default: return {};
  }
}

function ActionLimits({ action, onSaved }: { action: AdminSavedAction; onSaved: (action: AdminSavedAction) => void }) {
  const { api } = useWorkspace();
  const priorities = useTaskOptions().data?.priorities ?? [];
  const levels = useEscalationLevels().data ?? [];
  const admin = useMemo(() => adminDefinitionsApi(api.client), [api]);
  const [values, setValues] = useState(() => toValues(action));
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const set = (key: string) => (event: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) => setValues({ ...values, [key]: event.target.value });
  const id = `action-${action.key}`;
  const toggleIn = (key: string, word: string, on: boolean) => {
    const current = (values[key] ?? '').split(',').map((part) => part.trim()).filter(Boolean);
    setValues({ ...values, [key]: (on ? [...current, word] : current.filter((item) => item !== word)).join(', ') });
  };

  async function save() {
    setError(null);
    setSaved(null);
    try {
      const answer = await admin.saveSavedAction(action.key, toChanges(action.type, values));
      onSaved(answer);
      setSaved('Saved. CSMs see these choices the next time they open the action.');
    } catch (caught) {
      setError(caught);
    }
  }

  const fields = (() => {
    switch (action.type) {
      case 'snooze': return (
        <div className="field-row">
          <label className="field"><span>Fewest days</span><input type="number" min={1} max={365} value={values.min_days} onChange={set('min_days')} /></label>
          <label className="field"><span>Default days</span><input type="number" min={1} max={365} value={values.default_days} onChange={set('default_days')} /></label>
          <label className="field"><span>Most days</span><input type="number" min={1} max={365} value={values.max_days} onChange={set('max_days')} /></label>
        </div>);
      case 'skip': return (
        <label className="field"><span>Reasons to choose from <span className="field-hint">(one per line)</span></span>
          <textarea rows={5} value={values.reasons} onChange={set('reasons')} /></label>);
      case 'escalate': return (
        <>
          <fieldset className="field"><legend>Levels offered</legend><div className="check-row">
            {levels.map(({ key: value, label }) => (
              <label key={value} className="check"><input type="checkbox" checked={(values.levels ?? '').split(',').map((s) => s.trim()).includes(value)}
                onChange={(event) => toggleIn('levels', value, event.target.checked)} /><span>{label}</span></label>
            ))}
          </div></fieldset>
          <label className="field"><span>Default level</span><select value={values.default_level} onChange={set('default_level')}>
            {levels.map(({ key, label }) => <option key={key} value={key}>{label}</option>)}</select></label>
        </>);
      case 'schedule_meeting': return (
        <div className="field-row">
          <label className="field field-grow"><span>Meeting lengths in minutes <span className="field-hint">(comma separated)</span></span><input value={values.durations_minutes} onChange={set('durations_minutes')} /></label>
          <label className="field"><span>Default length</span><input type="number" value={values.default_duration_minutes} onChange={set('default_duration_minutes')} /></label>
        </div>);
      case 'create_task': return (
        <>
          <fieldset className="field"><legend>Priorities offered</legend><div className="check-row">
            {priorities.map(({ key: value, label }) => (
              <label key={value} className="check"><input type="checkbox" checked={(values.priorities ?? '').split(',').map((s) => s.trim()).includes(value)}
                onChange={(event) => toggleIn('priorities', value, event.target.checked)} /><span>{label}</span></label>
            ))}
          </div></fieldset>
          <label className="field"><span>Default priority</span><select value={values.default_priority} onChange={set('default_priority')}>
            {priorities.map(({ key, label }) => <option key={key} value={key}>{label}</option>)}</select></label>
        </>);
      case 'send_email': return <p className="muted">Whether a draft must be approved before it is sent is an organisation setting (Settings → Email).</p>;
      default: return <p className="muted">This action has no limits to set here.</p>;
    }
  })();
  const editable = ['snooze', 'skip', 'escalate', 'schedule_meeting', 'create_task'].includes(action.type);

  return (
    <section className="panel" aria-labelledby={id}>
      <div className="panel-head">
        <h2 id={id}>{action.name}</h2>
        <span className={`badge${action.scope === 'core' ? '' : ' badge-info'}`}>{SCOPE_WORDS[action.scope]}</span>
      </div>
      {action.description ? <p className="muted">{action.description}</p> : null}
      <div className="action-limits">{fields}</div>
      {editable ? <div className="btn-row" style={{ marginTop: 8 }}><button type="button" className="btn btn-primary btn-small" onClick={() => void save()}>Save {action.name}</button></div> : null}
      <p className="muted small" aria-live="polite">{saved}</p>
      <InlineError error={error} />
    </section>
  );
}

export function AdminActionsPage() {
  const { api, profile } = useWorkspace();
  const admin = useMemo(() => adminDefinitionsApi(api.client), [api]);
  const list = useAsync(() => admin.listSavedActions(), [admin]);
  if (profile.role !== 'admin') return <EmptyState title="Only admins change saved actions." />;
  return (
    <div className="page page-narrow">
      <div className="page-head"><h1>Administration</h1></div>
      <AdminNav />
      <p className="muted">The choices and limits of each action CSMs run on a workflow. The forms they see and the checks on the server use exactly these.</p>
      {list.error ? <ErrorState error={list.error} onRetry={() => void list.reload()} /> : null}
      {list.loading && !list.data ? <LoadingState rows={4} /> : null}
      {(list.data ?? []).map((action) => (
        <ActionLimits key={`${action.key}-${action.updated_at}`} action={action}
          onSaved={(updated) => list.setData((rows) => rows?.map((row) => (row.key === updated.key ? updated : row)))} />
      ))}
    </div>
  );
}
