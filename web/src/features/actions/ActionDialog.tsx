// Runs one saved action. The idempotency key is made when the form opens, so a double
// click or a retry after a timeout sends the same key and the server applies it once; a
// request left without an answer keeps its key (lib/pendingKeys.ts), so the same request sent
// again from this dialog opened anew, after a reload or from another tab is replayed too.
// What is shown afterwards is the server's answer, side effects included.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useSubmit } from '../../hooks/useSubmit.ts';
import { useWorkspace } from '../../lib/context.ts';
import { formatDate, formatDayAndTime, humanize, newId } from '../../lib/format.ts';
import type { ActionResult, Artifact, SavedAction } from '../../lib/types.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { InlineError } from '../../components/States.tsx';
import { ActionFields } from './ActionFields.tsx';
import { NOT_SENT_WITHOUT_MAIL_SERVER } from '../outbox/outboxStatus.ts';
import { actionOptions, findProblem, initialValues, kindOf, preselectOnlyDraft, submitLabel, toParams, type FieldProblem } from './actionForms.ts';
import { isQueuedToSend } from '../artifacts/sendState.ts';
import { draftToSendProblem } from './draftToSend.ts';
import { usePlainWords } from './plainWords.ts';
import { sendOnce } from '../../lib/pendingKeys.ts';
import { labelsOf, useEscalationLevels, useTaskOptions } from './lookups.ts';

interface Props {
  action: SavedAction;
  executionId: string;
  artifacts: Artifact[];
  proposed?: Record<string, unknown>;
  /** Runs the confirmed form another way (a branch, an AI proposal's approval); default: execute_action. */
  submit?: (params: Record<string, unknown>, idempotencyKey: string) => Promise<ActionResult>;
  /**
   * What `submit` sends, within the workflow (a branch's choice, a proposal's decision), so
   * its key left unanswered is not taken for another route's; default: execute_action.
   */
  requestName?: string;
  /** The workflow's customer's renewal date: a meeting is offered on a day before it (actionForms.meetingDate). */
  renewalDate?: string | null;
  /** Its notice deadline, when the contract has one: the day a snooze must not miss (else the renewal date). */
  decisionDate?: string | null;
  /** Told of a refusal too (shown here all the same): the workflow behind may load itself anew. */
  onRefused?: (error: unknown) => void;
  onClose: () => void;
  onDone: (result: ActionResult) => void;
}

const EFFECT_LABELS: Record<string, string> = {
  send_email: 'Send email', calendar_invite: 'Calendar invite', notify_manager: 'Manager notified',
};
const EFFECT_STATUS: Record<string, string> = {
  delivered_to_sink: NOT_SENT_WITHOUT_MAIL_SERVER.sentence, sent: 'sent', delivered: 'delivered', stored: 'stored',
  pending: 'pending', sending: 'being sent', retrying: 'will be retried', failed: 'failed', skipped: 'skipped',
};

export function describeEffect(effect: { type?: string; kind?: string; status: string; error?: string | null; message?: string | null }): string {
  const kind = String(effect.type ?? effect.kind ?? 'side effect');
  const detail = effect.error ?? effect.message;
  // The invite is kept with the meeting (its .ics), not sent: "stored" alone read as if it went out.
  if (kind === 'calendar_invite' && effect.status === 'stored' && !detail) return 'Calendar invite: saved with the meeting, not sent to the attendees';
  return `${EFFECT_LABELS[kind] ?? humanize(kind)}: ${EFFECT_STATUS[effect.status] ?? humanize(effect.status).toLowerCase()}${detail ? ` — ${detail}` : ''}`;
}

/**
 * What became of a sent email, from its send's status: "handed to the mail service" only while
 * it is on its way, never above a line saying it went to no one (a stack without a mail server).
 */
function emailSentWords(result: ActionResult): string {
  const send = (result.side_effects ?? []).find((effect) => effect.type === 'send_email');
  switch (send?.status) {
    case 'delivered_to_sink': return `Email ${NOT_SENT_WITHOUT_MAIL_SERVER.sentence}.`;
    case 'sent': case 'delivered': return 'Email sent.';
    case 'failed': return 'Email not sent: sending failed.';
    default: return 'Email handed to the mail service.';
  }
}

/**
 * What the action did, said from the action that ran (its type, else its key), never from the
 * workflow's state alone: sending an email on a snoozed workflow says the email went, not
 * "Snoozed until …". Only a snooze or an escalation is described by the state it brings.
 */
export function describeResult(result: ActionResult, actionType?: string): string {
  const kind = kindOf(actionType ?? result.action_key);
  const execution = result.execution;
  if (kind === 'snooze') return execution?.snoozed_until ? `Snoozed until ${formatDate(execution.snoozed_until)}.` : 'Snoozed.';
  if (kind === 'escalate') return 'Escalated. The manager has been notified.';
  const message = result.result?.message;
  if (typeof message === 'string') return message;
  const when = result.result?.scheduled_at;
  switch (kind) {
    case 'skip': return 'Step skipped; the workflow moved on.';
    case 'create_task': return `Task “${String(result.result?.title ?? 'follow-up')}” created.`;
    case 'schedule_meeting': return `Meeting scheduled${typeof when === 'string' ? ` for ${formatDayAndTime(when)}` : ''}; a task to hold it on the day was added (Tasks and meetings).`;
    case 'send_email': return emailSentWords(result);
    default: break;
  }
  return `${humanize(result.action_key)} done.`;
}

export function ActionDialog({ action, executionId, artifacts, proposed, renewalDate, decisionDate, submit: submitWith, requestName = 'execute_action', onRefused, onClose, onDone }: Props) {
  const { api, profile } = useWorkspace();
  const levels = useEscalationLevels();
  const taskOptions = useTaskOptions();
  const labels = labelsOf(levels.data, taskOptions.data?.priorities);
  const inWords = usePlainWords();
  const kind = kindOf(action.type);
  const emailDrafts = artifacts.filter((artifact) => artifact.artifact_type === 'email_draft' && artifact.approved_at);
  // Written but waiting for approval: named when nothing can be sent yet, so the CSM knows which to have approved.
  const waitingDrafts = artifacts.filter((artifact) => artifact.artifact_type === 'email_draft' && !artifact.approved_at && !artifact.sent_at);
  // A draft waiting in the outbox is listed but not chosen for you: it is on its way.
  const sendableDrafts = emailDrafts.filter((draft) => !isQueuedToSend(draft));
  const [values, setValues] = useState(() => preselectOnlyDraft(kind, initialValues(kind, action.config, proposed, { renewalDate }), sendableDrafts));
  // The workflow is read anew as the dialog opens (a draft may have been approved elsewhere):
  // the only sendable draft that arrives then is chosen, as one there on opening is.
  const sendableIds = sendableDrafts.map((draft) => draft.id).join(' ');
  useEffect(() => { setValues((current) => preselectOnlyDraft(kind, current, sendableDrafts)); }, [sendableIds]); // eslint-disable-line react-hooks/exhaustive-deps -- the drafts, by their ids
  const [idempotencyKey] = useState(newId);
  const [result, setResult] = useState<ActionResult | null>(null);
  const { busy, error, run } = useSubmit();
  const doneButton = useRef<HTMLButtonElement>(null);
  const form = useRef<HTMLFormElement>(null);
  // A problem found before sending is shown beside its field, which takes the focus (as the
  // admin forms do), rather than at the dialog's foot with the focus left on the submit button.
  const [invalid, setInvalid] = useState<FieldProblem | null>(null);
  useEffect(() => {
    if (!invalid) return;
    const named = form.current?.querySelectorAll<HTMLInputElement>(`[name="${invalid.field}"]`) ?? [];
    [...named].find((control) => !control.disabled)?.focus();
  }, [invalid]);
  // Once the answer is in, the form and its submit button are gone: the focus goes to Done
  // (beside the result) instead of falling to the page behind the dialog.
  useEffect(() => { if (result) doneButton.current?.focus(); }, [result]);

  // The problem goes once the person changes what it is about (the draft chosen, for a draft
  // already sent), so it does not stay beside a corrected field; the next submit checks again.
  function change(next: typeof values) {
    setValues(next);
    const about = invalid?.field === 'resend' ? ['resend', 'artifact_id'] : invalid ? [invalid.field] : [];
    if (about.some((field) => next[field] !== values[field])) setInvalid(null);
  }

  function problem(): FieldProblem | null {
    const chosenDraft = kind === 'send_email' ? emailDrafts.find((draft) => draft.id === values.artifact_id) : undefined;
    return findProblem(kind, values, action.config, new Date(), profile.time_zone) ?? draftToSendProblem(chosenDraft, values.resend === 'true');
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (result || busy) return;
    const found = problem();
    setInvalid(found);
    if (found) return;
    void run(async () => {
      const params = toParams(kind, values);
      const scope = `${profile.id}:${executionId}:${requestName}:${action.key}`;
      const sent = await sendOnce(scope, params, idempotencyKey, (key) => (submitWith ? submitWith(params, key)
        : api.executeAction({ action_key: action.key, execution_id: executionId, params, idempotency_key: key })))
        .catch((caught: unknown) => { onRefused?.(caught); throw caught; });
      // The server's result names the task by id only: say its title (what the person typed).
      const answer = kind === 'create_task' && typeof params.title === 'string' && !sent.result?.title
        ? { ...sent, result: { ...(sent.result ?? {}), title: params.title } } : sent;
      setResult(answer);
      onDone(answer);
    });
  }

  const failedEffects = (result?.side_effects ?? []).filter((effect) => !['sent', 'delivered_to_sink', 'delivered', 'stored', 'skipped'].includes(effect.status));

  return (
    <Dialog title={action.name} onClose={onClose}
      footer={result ? (
        <button ref={doneButton} type="button" className="btn btn-primary" onClick={onClose} data-autofocus>Done</button>
      ) : (
        <>
          <button type="button" className="btn btn-ghost" onClick={onClose}>Cancel</button>
          <button type="submit" form="action-form" className="btn btn-primary" disabled={busy || (kind === 'send_email' && emailDrafts.length === 0)}>
            {busy ? 'Working…' : submitLabel(kind, action.name, values, actionOptions(action.config, labels))}
          </button>
        </>
      )}>
      {action.description ? <p className="muted">{inWords(action.description)}</p> : null}
      {result ? (
        <div className={`notice ${result.success ? 'notice-success' : 'notice-warning'}`} role="status" data-testid="action-result">
          <p><strong>{result.success ? describeResult(result, action.type) : 'The action did not succeed.'}</strong>{result.replayed ? ' (Already done — nothing was applied twice.)' : ''}</p>
          {(result.side_effects ?? []).length > 0 ? (
            <ul className="effects">
              {(result.side_effects ?? []).map((effect, index) => (
                <li key={index}>{describeEffect(effect)}</li>
              ))}
            </ul>
          ) : null}
          {failedEffects.length > 0 ? <p className="small">The change itself is saved; the failed side effect can be retried.</p> : null}
        </div>
      ) : (
        <form ref={form} id="action-form" className="form" onSubmit={submit} noValidate>
          <ActionFields kind={kind} values={values} onChange={change} config={action.config} emailDrafts={emailDrafts} waitingDrafts={waitingDrafts} labels={labels} problem={invalid} decisionDay={decisionDate ?? renewalDate} />
        </form>
      )}
      <InlineError error={error} />
    </Dialog>
  );
}
