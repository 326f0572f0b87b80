// What to do with the ticked rows at once: start them, snooze them (a number of days, with a
// reason), or — managers and admins — reassign them to a colleague with a reason. Start and
// Snooze send each item on its own (the server checks each one); Reassign sends them all in
// one call (reassign_workflows, which checks each one too and tells each person once, not once
// per workflow). The result says how many worked and why the others did not. A press of Start, Snooze or Reassign is kept as a request (lib/pendingKeys.ts)
// until every item's answer came: pressed again on the same items with the same values, each
// item goes under the key it had, so the server answers what the first press did (started,
// snoozed, reassigned) instead of refusing the workflows it already did.
import { useRef, useState } from 'react';
import { isManager, useWorkspace } from '../../lib/context.ts';
import { isSessionEnded, messageOf } from '../../lib/errors.ts';
import { newId } from '../../lib/format.ts';
import { leavesFateUnknown, sendOnce } from '../../lib/pendingKeys.ts';
import type { QueueItem } from '../../lib/types.ts';
import { useTeamMembers } from './useTeamMembers.ts';
import { FormField } from '../../components/FieldError.tsx';
import { useFieldProblem } from '../../hooks/useFieldProblem.ts';
import { choiceName, canTakeWork } from '../../lib/people.ts';

type Mode = null | 'snooze' | 'reassign';

export interface BulkOutcome {
  done: number;
  failed: { name: string; reason: string }[];
  unanswered?: number;
  /** Rows left as they were because the chosen person holds them already (bulk Reassign). */
  alreadyTheirs?: { count: number; holder: string };
  /**
   * Rows not done because the session ended on the way: the first refusal stops the press
   * (every later row would be refused alike), and they are said once, with Sign in again.
   */
  sessionEnded?: number;
}

/**
 * Runs `work` for every item in turn and counts what worked, and what got no answer. A refused
 * session stops it: the items from there on are counted as `sessionEnded`, not sent.
 */
export async function runForEach(items: QueueItem[], work: (item: QueueItem) => Promise<unknown>): Promise<BulkOutcome> {
  const outcome: BulkOutcome = { done: 0, failed: [], unanswered: 0 };
  for (const [index, item] of items.entries()) {
    try {
      await work(item);
      outcome.done += 1;
    } catch (caught) {
      if (isSessionEnded(caught)) {
        outcome.sessionEnded = items.length - index;
        break;
      }
      outcome.failed.push({ name: `${item.customer.name} (${item.workflow_name})`, reason: messageOf(caught) });
      if (leavesFateUnknown(caught)) outcome.unanswered = (outcome.unanswered ?? 0) + 1;
    }
  }
  return outcome;
}

/**
 * Whether `personId` already holds every one of `items`: handing them to that person changes
 * nothing (the server refuses each), so the bulk reassign's list leaves them out, as a
 * workflow's own Reassign leaves out its assignee.
 */
export function holdsEvery(personId: string, items: readonly QueueItem[]): boolean {
  return items.length > 0 && items.every((item) => item.assignee_id === personId);
}

/** An item's key within a press: the press's key and the workflow (at most 73 characters). */
export function itemKey(pressKey: string, item: QueueItem): string {
  return `${pressKey}:${item.execution_id}`;
}

/**
 * Runs one press of `verb` over `items` under the key of the same press left with items
 * unanswered (same items, same values), else a new one; each item is sent under its key
 * within the press. The press's key is kept while any item's answer was lost.
 */
export async function runPressOnce(scope: string, values: unknown, items: QueueItem[],
  work: (item: QueueItem, key: string) => Promise<unknown>): Promise<BulkOutcome> {
  let outcome: BulkOutcome = { done: 0, failed: [] };
  const press = { items: items.map((item) => item.execution_id).sort(), values };
  await sendOnce(scope, press, newId(), async (pressKey) => {
    outcome = await runForEach(items, (item) => work(item, itemKey(pressKey, item)));
    // Some answers were lost, or the session ended part-way: fail the press as lost too, so
    // that its key is kept and pressing again replays what was done (a session that renews
    // itself; signing out, to sign in again, forgets every unanswered request).
    if (outcome.unanswered || outcome.sessionEnded) throw new TypeError('Failed to fetch');
  }).catch(() => undefined);
  return outcome;
}

type Rpc = ReturnType<typeof useWorkspace>['api']['rpc'];

/**
 * Reassigns `items` in one call (reassign_workflows), under the key of the same press left
 * unanswered (same items, same values), else a new one: pressed again after a lost answer, the
 * server answers what the first press did. The server's refusals are said per item; those the
 * person holds already are left with them and only counted.
 */
export async function reassignAtOnce(rpc: Rpc, scope: string, values: { assignee_id: string; reason: string },
  items: QueueItem[]): Promise<BulkOutcome> {
  const executionIds = items.map((item) => item.execution_id).sort();
  const nameOf = new Map(items.map((item) => [item.execution_id, `${item.customer.name} (${item.workflow_name})`]));
  try {
    const answer = await sendOnce(scope, { items: executionIds, values }, newId(),
      (key) => rpc('reassign_workflows', { execution_ids: executionIds, ...values, idempotency_key: key }));
    return {
      done: answer.reassigned.length,
      alreadyTheirs: { count: answer.already_theirs.length, holder: answer.assignee_name },
      failed: answer.refused.map((refusal) => ({ name: nameOf.get(refusal.execution_id) ?? refusal.execution_id, reason: refusal.message })),
    };
  } catch (caught) {
    // Refused as a whole (who may, the person, the reason, the session) or no answer: none was done.
    if (isSessionEnded(caught)) return { done: 0, failed: [], sessionEnded: items.length };
    const reason = messageOf(caught);
    return { done: 0, failed: items.map((item) => ({ name: nameOf.get(item.execution_id)!, reason })),
             unanswered: leavesFateUnknown(caught) ? items.length : 0 };
  }
}

/** "2 were already Sam Senior's.", or nothing when every row changed hands or none was theirs. */
function alreadyTheirsWords(already: BulkOutcome['alreadyTheirs']): string | null {
  if (!already || already.count === 0) return null;
  return `${already.count} ${already.count === 1 ? 'was' : 'were'} already ${already.holder}'s.`;
}

export function describeOutcome(verb: string, outcome: BulkOutcome): string {
  const sentences = [`${outcome.done} ${outcome.done === 1 ? 'item' : 'items'} ${verb}.`, alreadyTheirsWords(outcome.alreadyTheirs)];
  if (outcome.failed.length > 0) {
    sentences.push(`${outcome.failed.length} could not be: ${outcome.failed.map((entry) => `${entry.name}: ${entry.reason}`).join('; ')}`);
  }
  if (outcome.sessionEnded) {
    const rest = outcome.sessionEnded;
    sentences.push(`Your session has ended, so ${rest} ${rest === 1 ? 'was' : 'were'} not: sign in again, then press it again for ${rest === 1 ? 'it' : 'them'}.`);
  }
  return sentences.filter((sentence) => sentence !== null).join(' ');
}

interface Props {
  items: QueueItem[];
  onDone: (message: string, outcome: BulkOutcome) => void;
  onClear: () => void;
}

/** Start, saying which of the ticked rows it starts: all, those not started yet, or none (all under way). */
function startWords(startable: number, ticked: number): string {
  if (startable === ticked) return 'Start';
  return startable === 0 ? 'Start (all started already)' : `Start (${startable} not started)`;
}

export function BulkActions({ items, onDone, onClear }: Props) {
  const { api, profile } = useWorkspace();
  const manager = isManager(profile);
  const team = useTeamMembers('reassign');
  const [mode, setMode] = useState<Mode>(null);
  const [days, setDays] = useState('3');
  const [reason, setReason] = useState('');
  const [assignee, setAssignee] = useState('');
  const [busy, setBusy] = useState(false);
  // A missing choice or reason is said beside its field, which takes the focus (hooks/useFieldProblem.ts).
  const problem = useFieldProblem<'assignee' | 'reason'>();
  const assigneeBox = useRef<HTMLSelectElement>(null);
  const reasonBox = useRef<HTMLInputElement>(null);
  const startable = items.filter((item) => item.status === 'queued');

  async function run(verb: string, chosen: QueueItem[], press: (chosen: QueueItem[]) => Promise<BulkOutcome>) {
    setBusy(true);
    problem.clear();
    const outcome = await press(chosen);
    setBusy(false);
    setMode(null);
    onDone(describeOutcome(verb, outcome), outcome);
  }

  function snooze() {
    if (!reason.trim()) { problem.show('reason', 'Say why (it is kept with each workflow).', reasonBox.current); return; }
    const params = { days: Number(days), reason: reason.trim() };
    void run('snoozed', items, (chosen) => runPressOnce(`${profile.id}:bulk_snooze`, params, chosen, (item, key) => api.executeAction({
      action_key: 'snooze', execution_id: item.execution_id, params, idempotency_key: key,
    }).then((result) => { if (!result.success) throw new Error('The snooze did not succeed.'); })));
  }

  function reassign() {
    if (!assignee) { problem.show('assignee', 'Choose who takes them over.', assigneeBox.current); return; }
    if (!reason.trim()) { problem.show('reason', 'Give a reason; the new owner sees it.', reasonBox.current); return; }
    const values = { assignee_id: assignee, reason: reason.trim() };
    void run('reassigned', items, (chosen) => reassignAtOnce(api.rpc, `${profile.id}:bulk_reassign`, values, chosen));
  }

  return (
    <div className="bulk-bar" role="region" aria-label="Bulk actions">
      <strong>{items.length} selected</strong>
      <button type="button" className="btn btn-small" disabled={busy || startable.length === 0}
        onClick={() => void run('started', startable, (chosen) => runPressOnce(`${profile.id}:bulk_start`, {}, chosen,
          (item, key) => api.startWorkflow(item.execution_id, key)))}>
        {startWords(startable.length, items.length)}
      </button>
      <button type="button" className="btn btn-small" disabled={busy} aria-expanded={mode === 'snooze'} onClick={() => { setMode(mode === 'snooze' ? null : 'snooze'); problem.clear(); }}>Snooze…</button>
      {manager ? <button type="button" className="btn btn-small" disabled={busy} aria-expanded={mode === 'reassign'} onClick={() => { setMode(mode === 'reassign' ? null : 'reassign'); problem.clear(); }}>Reassign…</button> : null}
      <button type="button" className="btn btn-small btn-ghost" onClick={onClear} disabled={busy}>Clear selection</button>
      {mode ? (
        <div className="bulk-form">
          {mode === 'snooze' ? (
            <label className="field field-inline"><span>For</span>
              <select value={days} onChange={(event) => setDays(event.target.value)}>
                {['1', '3', '7', '14', '30'].map((value) => <option key={value} value={value}>{value} day{value === '1' ? '' : 's'}</option>)}
              </select></label>
          ) : (
            <FormField label="To" className="field field-inline" error={problem.of('assignee')}>
              {(control) => (
                <select ref={assigneeBox} {...control} value={assignee} onChange={(event) => { setAssignee(event.target.value); problem.changed('assignee'); }}>
                  <option value="">Choose a person…</option>
                  {(team.data ?? []).filter((member) => canTakeWork(member) && !holdsEvery(member.id, items)).map((member) => <option key={member.id} value={member.id}>{choiceName(member)}</option>)}
                </select>
              )}
            </FormField>
          )}
          <FormField label="Reason" className="field field-inline field-grow" error={problem.of('reason')}>
            {(control) => <input ref={reasonBox} {...control} value={reason} onChange={(event) => { setReason(event.target.value); problem.changed('reason'); }} maxLength={500} />}
          </FormField>
          <button type="button" className="btn btn-small btn-primary" disabled={busy} onClick={mode === 'snooze' ? snooze : reassign}>
            {busy ? 'Working…' : mode === 'snooze' ? `Snooze ${items.length}` : `Reassign ${items.length}`}
          </button>
        </div>
      ) : null}
    </div>
  );
}
