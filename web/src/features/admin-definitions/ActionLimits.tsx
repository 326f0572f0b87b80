// One saved action's limits on Admin → Actions: its fields by type, saved with
// save_saved_action. A problem is shown beside the field it concerns (the form's own check
// of the snooze days before sending, or the server's refusal naming the setting); one that
// names no field stays at the foot of the action's section.
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { InlineError } from '../../components/States.tsx';
import { describedBy, FieldError, FormField } from '../../components/FieldError.tsx';
import { useWorkspace } from '../../lib/context.ts';
import { useEscalationLevels, useTaskOptions, type LookupEntries } from '../actions/lookups.ts';
import { usePlainWords } from '../actions/plainWords.ts';
import { adminDefinitionsApi, type AdminSavedAction } from './api.ts';
import { LIMIT_KEYS, limitsProblem, toChanges, toValues, type LimitValues } from './actionLimitValues.ts';
import { NO_ERRORS, placeErrors, type PlacedErrors } from './fieldErrors.ts';
import { SnoozeDaysFields } from './SnoozeDaysFields.tsx';
import { ACTION_SCOPE_WORDS } from './scopeWords.ts';

const EDITABLE = ['snooze', 'skip', 'escalate', 'schedule_meeting', 'create_task'];

const wordsOf = (text = '') => text.split(',').map((part) => part.trim()).filter(Boolean);

export function ActionLimits({ action, onSaved }: { action: AdminSavedAction; onSaved: (action: AdminSavedAction) => void }) {
  const { api } = useWorkspace();
  const admin = useMemo(() => adminDefinitionsApi(api.client), [api]);
  const [values, setValues] = useState(() => toValues(action));
  const [errors, setErrors] = useState<PlacedErrors>(NO_ERRORS);
  const [saved, setSaved] = useState<string | null>(null);
  const id = `action-${action.key}`;
  const inWords = usePlainWords();

  async function save() {
    setSaved(null);
    const problem = limitsProblem(action.type, values);
    if (problem) return setErrors({ fields: problem, general: null });
    setErrors(NO_ERRORS);
    try {
      const answer = await admin.saveSavedAction(action.key, toChanges(action.type, values));
      // The form shows what was saved, as the server keeps it.
      setValues(toValues(answer));
      onSaved(answer);
      setSaved('Saved. CSMs see these choices the next time they open the action.');
    } catch (caught) {
      setErrors(placeErrors(caught, LIMIT_KEYS[action.type] ?? []));
    }
  }

  // The first field named takes the focus, which brings it (and its problem) into view, as on
  // Admin → Settings.
  const sectionNode = useRef<HTMLElement>(null);
  useEffect(() => { sectionNode.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(); }, [errors]);

  return (
    <section ref={sectionNode} className="panel" aria-labelledby={id}>
      <div className="panel-head">
        <h2 id={id}>{action.name}</h2>
        <span className={`badge${action.scope === 'core' ? '' : ' badge-info'}`}>{ACTION_SCOPE_WORDS[action.scope]}</span>
      </div>
      {action.description ? <p className="muted">{inWords(action.description)}</p> : null}
      <div className="action-limits">
        <LimitFields type={action.type} values={values} errors={errors.fields} onChange={(key, text) => setValues((shown) => ({ ...shown, [key]: text }))} />
      </div>
      {EDITABLE.includes(action.type) ? <div className="btn-row" style={{ marginTop: 8 }}><button type="button" className="btn btn-primary btn-small" onClick={() => void save()}>Save {action.name}</button></div> : null}
      <p className="muted small" aria-live="polite">{saved}</p>
      <InlineError error={errors.general} />
    </section>
  );
}

function LimitFields({ type, values, errors, onChange }: {
  type: string; values: LimitValues; errors: PlacedErrors['fields']; onChange: (key: string, text: string) => void;
}) {
  const priorities = useTaskOptions().data?.priorities ?? [];
  const levels = useEscalationLevels().data ?? [];
  const text = (key: string) => (event: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) => onChange(key, event.target.value);
  const choice = (listKey: string, defaultKey: string, legend: string, defaultLabel: string, entries: LookupEntries) => (
    <>
      <ChoiceSet legend={legend} entries={entries} chosen={wordsOf(values[listKey])} error={errors[listKey]}
        onChange={(chosen) => onChange(listKey, chosen.join(', '))} />
      <FormField label={defaultLabel} error={errors[defaultKey]}>
        {(control) => <select {...control} value={values[defaultKey]} onChange={text(defaultKey)}>
          {entries.map(({ key, label }) => <option key={key} value={key}>{label}</option>)}</select>}
      </FormField>
    </>
  );
  switch (type) {
    case 'snooze': return (
      <SnoozeDaysFields values={{ min_days: values.min_days ?? '', default_days: values.default_days ?? '', max_days: values.max_days ?? '' }}
        errors={{ min_days: errors.min_days, default_days: errors.default_days, max_days: errors.max_days, together: errors.snooze }} onChange={onChange} />);
    case 'skip': return (
      <FormField label={<>Reasons to choose from <span className="field-hint">(one per line)</span></>} error={errors.reasons}>
        {(control) => <textarea {...control} rows={5} value={values.reasons} onChange={text('reasons')} />}
      </FormField>);
    case 'escalate': return choice('levels', 'default_level', 'Levels offered', 'Default level', levels);
    case 'schedule_meeting': return (
      <div className="field-row">
        <FormField className="field field-grow" label={<>Meeting lengths in minutes <span className="field-hint">(comma separated)</span></>} error={errors.durations_minutes}>
          {(control) => <input {...control} value={values.durations_minutes} onChange={text('durations_minutes')} />}
        </FormField>
        <FormField label="Default length" error={errors.default_duration_minutes}>
          {(control) => <input {...control} type="number" value={values.default_duration_minutes} onChange={text('default_duration_minutes')} />}
        </FormField>
      </div>);
    case 'create_task': return choice('priorities', 'default_priority', 'Priorities offered', 'Default priority', priorities);
    case 'send_email': return <p className="muted">Whether a draft must be approved before it is sent is an organisation setting (Settings → Email).</p>;
    default: return <p className="muted">This action has no limits to set here.</p>;
  }
}

/** Checkboxes of the lookup's entries, with the problem of the list under them. */
function ChoiceSet({ legend, entries, chosen, error, onChange }: {
  legend: string; entries: LookupEntries; chosen: string[]; error?: string; onChange: (chosen: string[]) => void;
}) {
  const errorId = `${useId()}-error`;
  return (
    <fieldset className="field" {...(error ? { 'aria-describedby': errorId } : {})}>
      <legend>{legend}</legend>
      <div className="check-row">
        {entries.map(({ key, label }) => (
          <label key={key} className="check"><input type="checkbox" checked={chosen.includes(key)} {...describedBy([errorId, error])}
            onChange={(event) => onChange(event.target.checked ? [...chosen, key] : chosen.filter((item) => item !== key))} /><span>{label}</span></label>
        ))}
      </div>
      <FieldError id={errorId} message={error} />
    </fieldset>
  );
}
