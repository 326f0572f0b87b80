// The fields of each saved action's form.
import { useId } from 'react';
import type { Artifact } from '../../lib/types.ts';
import { formatDateTime, formatRange, joinPresent } from '../../lib/format.ts';
import { FieldError, FormField } from '../../components/FieldError.tsx';
import { DateInput } from '../../components/DateInput.tsx';
import { actionOptions, hasAttendee, withAttendee, type ActionKind, type FieldProblem, type FormValues } from './actionForms.ts';
import { readEmail } from '../artifacts/emailContent.ts';
import { isQueuedToSend } from '../artifacts/sendState.ts';
import { hasRecipient } from './draftToSend.ts';
import { RecipientsInline } from '../artifacts/Recipients.tsx';
import { useKnownContacts } from '../artifacts/knownContacts.ts';
import { EmailAddresses } from '../../components/EmailAddresses.tsx';
import { snoozeBackWords, snoozeMissesDecision } from './snoozeUntil.ts';

interface Props {
  kind: ActionKind;
  values: FormValues;
  onChange: (values: FormValues) => void;
  config: Record<string, unknown>;
  emailDrafts: Artifact[];
  /** Email drafts not approved yet (nor sent): what Send Email names when none is approved. */
  waitingDrafts?: Artifact[];
  /** The server's words for escalation levels and priorities (lookups.ts); keys are shown without. */
  labels?: Record<string, string>;
  /** The problem found on sending, shown beside its field (ActionDialog moves the focus there). */
  problem?: FieldProblem | null;
  /** The workflow's renewal decision (notice deadline, else renewal date): a snooze says when it misses it. */
  decisionDay?: string | null;
}

// Every choice comes from the action's config (actionOptions), as the server enforces it.
export function ActionFields({ kind, values, onChange, config, emailDrafts, waitingDrafts = [], labels, problem, decisionDay }: Props) {
  const options = actionOptions(config, labels);
  const draftErrorId = useId();
  const errorFor = (field: string) => (problem?.field === field ? problem.message : null);
  const set = (key: string) => (event: React.ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) =>
    onChange({ ...values, [key]: event.target.value });
  switch (kind) {
    case 'snooze':
      return (
        <>
          <FormField label={<>Days <span className="field-hint">({formatRange(options.snooze.minDays, options.snooze.maxDays)})</span></>} error={errorFor('days')}>
            {(control) => <input {...control} type="number" name="days" min={options.snooze.minDays} max={options.snooze.maxDays} required value={values.days ?? ''} onChange={set('days')} data-autofocus />}
          </FormField>
          <SnoozeEnd days={Number(values.days)} minDays={options.snooze.minDays} maxDays={options.snooze.maxDays} decisionDay={decisionDay} />
          <FormField label="Reason" error={errorFor('reason')}>
            {(control) => <textarea {...control} name="reason" rows={3} required value={values.reason ?? ''} onChange={set('reason')} placeholder="e.g. Customer is on holiday until next week" />}
          </FormField>
        </>
      );
    case 'skip':
      return (
        <>
          <FormField label="Reason" error={errorFor('reason')}>
            {(control) => (
              <select {...control} name="reason" required value={values.reason ?? ''} onChange={set('reason')} data-autofocus>
                <option value="">Choose a reason…</option>
                {options.skipReasons.map((reason) => <option key={reason} value={reason}>{reason}</option>)}
              </select>
            )}
          </FormField>
          <label className="field"><span>Note <span className="field-hint">(optional)</span></span><textarea name="note" rows={2} value={values.note ?? ''} onChange={set('note')} /></label>
        </>
      );
    case 'escalate':
      return (
        <>
          <FormField label="Escalate to" error={errorFor('level')}>
            {(control) => (
              <select {...control} name="level" value={values.level ?? options.defaultLevel} onChange={set('level')} data-autofocus>
                {options.escalationLevels.map((level) => <option key={level.value} value={level.value}>{level.label}</option>)}
              </select>
            )}
          </FormField>
          <FormField label="Reason" error={errorFor('reason')}>
            {(control) => <textarea {...control} name="reason" rows={3} required value={values.reason ?? ''} onChange={set('reason')} />}
          </FormField>
        </>
      );
    case 'schedule_meeting':
      return (
        <>
          <div className="field-row">
            <FormField label="Date" error={errorFor('date')}>
              {(control) => <DateInput {...control} name="date" required value={values.date ?? ''} onChange={set('date')} data-autofocus />}
            </FormField>
            <label className="field"><span>Time</span><input type="time" name="time" value={values.time ?? ''} onChange={set('time')} /></label>
            <FormField label="Duration" error={errorFor('duration_minutes')}>
              {(control) => (
                <select {...control} name="duration_minutes" value={values.duration_minutes ?? String(options.defaultDuration)} onChange={set('duration_minutes')}>
                  {options.meetingDurations.map((minutes) => <option key={minutes} value={minutes}>{minutes} minutes</option>)}
                </select>
              )}
            </FormField>
          </div>
          <StakeholderPicker values={values} onChange={onChange} />
          <FormField label={<>Attendees <span className="field-hint">(emails, comma separated)</span></>} error={errorFor('attendees')}>
            {(control) => <input {...control} name="attendees" value={values.attendees ?? ''} onChange={set('attendees')} />}
          </FormField>
        </>
      );
    case 'send_email':
      return emailDrafts.length === 0 ? (
        // Nothing to choose: the dialog opens on these words (read out), Tab going on to Cancel.
        <p className="notice notice-warning" tabIndex={-1} data-autofocus>{nothingToSendWords(waitingDrafts)}</p>
      ) : (
        <fieldset className="radio-group" aria-describedby={problem ? draftErrorId : undefined}>
          <legend>Approved draft to send</legend>
          {emailDrafts.map((draft) => {
            // One waiting in the outbox is on its way: sending it again would deliver it twice.
            const queued = isQueuedToSend(draft);
            const email = readEmail(draft.content ?? {}, draft.title);
            return (
              <label key={draft.id} className="radio">
                <input type="radio" name="artifact_id" value={draft.id} checked={values.artifact_id === draft.id} onChange={set('artifact_id')} disabled={queued} />
                <span><strong>{draft.title}</strong> <span className="muted">v{draft.version}</span><br /><span className="small muted">{email.subject}</span>
                  {queued ? <><br /><span className="small">Queued to send: on its way</span></> : null}
                  {/* Whom it goes to, the last thing to check before sending, as the draft's card says it. */}
                  {hasRecipient(draft) ? <><br /><span className="small muted"><RecipientsInline to={email.to} cc={email.cc} /></span></> : <><br /><span className="small">No recipient yet</span></>}
                  {draft.sent_at ? <><br /><span className="small">Sent {formatDateTime(draft.sent_at)}</span></> : null}</span>
              </label>
            );
          })}
          {emailDrafts.find((draft) => draft.id === values.artifact_id)?.sent_at ? (
            <label className="checkbox">
              <input type="checkbox" name="resend" checked={values.resend === 'true'}
                onChange={(event) => onChange({ ...values, resend: event.target.checked ? 'true' : '' })} />
              <span>This draft was already sent. Send it again.</span>
            </label>
          ) : null}
          <FieldError id={draftErrorId} message={errorFor('artifact_id') ?? errorFor('resend')} />
        </fieldset>
      );
    case 'create_task':
      return (
        <>
          <FormField label="Title" error={errorFor('title')}>
            {(control) => <input {...control} name="title" required value={values.title ?? ''} onChange={set('title')} data-autofocus />}
          </FormField>
          <div className="field-row">
            <FormField label="Due date" error={errorFor('due_date')}>
              {(control) => <DateInput {...control} name="due_date" required value={values.due_date ?? ''} onChange={set('due_date')} />}
            </FormField>
            <FormField label="Priority" error={errorFor('priority')}>
              {(control) => (
                <select {...control} name="priority" value={values.priority ?? options.defaultPriority} onChange={set('priority')}>
                  {options.taskPriorities.map((priority) => <option key={priority.value} value={priority.value}>{priority.label}</option>)}
                </select>
              )}
            </FormField>
          </div>
          <label className="field"><span>Description <span className="field-hint">(optional)</span></span><textarea name="description" rows={3} value={values.description ?? ''} onChange={set('description')} /></label>
        </>
      );
    default:
      return <p className="muted">This action takes no input.</p>;
  }
}

/**
 * The customer's stakeholders (name, role, address) to tick as attendees of a meeting: each
 * ticked is added to the Attendees field, which stays free to type anyone else in.
 */
function StakeholderPicker({ values, onChange }: { values: FormValues; onChange: (values: FormValues) => void }) {
  const contacts = useKnownContacts();
  if (!contacts || contacts.stakeholders.length === 0) return null;
  return (
    <fieldset className="radio-group stakeholder-picker">
      <legend>Stakeholders of {contacts.customerName}</legend>
      {contacts.stakeholders.map((person) => {
        const email = person.email ?? '';
        const role = joinPresent([person.title ?? person.role, person.is_champion ? 'champion' : null, person.is_decision_maker ? 'decision maker' : null]);
        return (
          <label key={person.id} className="check">
            <input type="checkbox" name="stakeholder" value={email} checked={hasAttendee(values, email)}
              onChange={(event) => onChange(withAttendee(values, email, event.target.checked))} />
            <span><strong>{person.name}</strong>{role ? <span className="muted"> · {role}</span> : null}<br />
              <span className="small muted"><EmailAddresses text={email} /></span></span>
          </label>
        );
      })}
    </fieldset>
  );
}

const SECOND_APPROVER = 'by someone other than its author, unless your organisation lets authors approve their own';

/**
 * Why Send Email has nothing to send: the drafts waiting for approval, by title, and what to
 * do with them; only with none at all is the assistant asked for one.
 */
export function nothingToSendWords(waiting: readonly Pick<Artifact, 'title'>[]): string {
  if (waiting.length === 0) return `There is no email draft in this workflow yet. Ask the assistant to draft one and have it approved — ${SECOND_APPROVER}.`;
  const titles = new Intl.ListFormat('en-GB', { type: 'conjunction' }).format(waiting.map((draft) => `“${draft.title}”`));
  return waiting.length === 1
    ? `${titles} is not approved yet. Have it approved — ${SECOND_APPROVER} — then send it here.`
    : `${titles} are not approved yet. Have one approved — ${SECOND_APPROVER} — then send it here.`;
}

/**
 * The day a snooze brings the workflow back, and a warning (read out as the days change) when
 * that is on or after the renewal decision; the snooze is still the CSM's to choose.
 */
function SnoozeEnd({ days, minDays, maxDays, decisionDay }: { days: number; minDays: number; maxDays: number; decisionDay?: string | null }) {
  if (!Number.isInteger(days) || days < minDays || days > maxDays) return null;
  const missed = snoozeMissesDecision(days, decisionDay, minDays);
  return (
    <div aria-live="polite">
      <p className="field-hint">{snoozeBackWords(days)}</p>
      {missed ? <p className="notice notice-warning">{missed}</p> : null}
    </div>
  );
}
