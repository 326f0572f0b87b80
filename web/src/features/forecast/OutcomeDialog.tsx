// Closing a renewal: renewed (same or higher ARR), downgraded (a lower ARR above 0) or
// churned. The server enforces the same rules (record_renewal_outcome or, with no workflow open,
// record_customer_renewal_outcome; app.renewal_outcome_new_arr,
// on the ARR rounded to cents); the dialog says so first, in words and money as the app writes it.
import { useId, useRef, useState } from 'react';
import { Dialog } from '../../components/Dialog.tsx';
import { InlineError } from '../../components/States.tsx';
import { formatMoney, newId, possessive } from '../../lib/format.ts';
import { sendOnce } from '../../lib/pendingKeys.ts';
import { BUCKET_LABELS, OUTCOMES, type ForecastApi, type ForecastItem, type RenewalOutcome } from './api.ts';

/** Why the new ARR does not fit the outcome, or null; the server's rules, said before it refuses. */
export function arrProblem(outcome: RenewalOutcome, arr: string, currentArr: number): string | null {
  if (outcome === 'churned') return null;
  const text = arr.trim();
  const value = Number(text);
  if (text === '' || !Number.isFinite(value) || value < 0) return 'Enter the new ARR: an amount of 0 or more.';
  const cents = Math.round(value * 100);
  const today = Math.round(Number(currentArr) * 100);
  if (outcome === 'renewed' && cents < today) {
    return `A renewal is at least the current ARR (${formatMoney(currentArr)}); ${formatMoney(value)} is less. Record it as Downgraded instead.`;
  }
  if (outcome === 'downgraded' && cents === 0) return 'A downgrade to $0 is a churn. Record it as Churned instead.';
  if (outcome === 'downgraded' && cents >= today) {
    return `A downgrade is below the current ARR (${formatMoney(currentArr)}). Record it as Renewed when the ARR stays the same or grows.`;
  }
  return null;
}

/** What the dialog needs of a renewal: a Forecast row, or a renewal workflow's page (RecordRenewalOutcome). */
export type RenewalToClose = Pick<ForecastItem, 'execution_id' | 'current_arr'> & { customer: Pick<ForecastItem['customer'], 'id' | 'name'> };

interface Props {
  item: RenewalToClose;
  forecastApi: ForecastApi;
  onClose: () => void;
  /** Called once recorded, with what was recorded in words ("Contoso: renewed at $95,000."). */
  onRecorded: (said: string) => void;
}

export function OutcomeDialog({ item, forecastApi, onClose, onRecorded }: Props) {
  const [outcome, setOutcome] = useState<RenewalOutcome>('renewed');
  const [arr, setArr] = useState(String(item.current_arr));
  const [typed, setTyped] = useState(false);
  const [pressed, setPressed] = useState(false);
  const arrInput = useRef<HTMLInputElement>(null);
  const problemId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const needsArr = outcome !== 'churned';
  const problem = arrProblem(outcome, arr, item.current_arr);
  // Said once the person has typed an ARR the outcome does not take, or pressed Record with one
  // (today's ARR as filled in is no downgrade; an empty box no amount), as the app's other forms
  // do: Record stays offered, and a press says why beside the box rather than a silent disabled button.
  const shownProblem = needsArr && ((typed && arr.trim() !== '') || pressed) ? problem : null;
  const suggestion: RenewalOutcome | null = outcome === 'renewed' && shownProblem && Number(arr) > 0 ? 'downgraded'
    : outcome === 'downgraded' && shownProblem && Number(arr) === 0 ? 'churned'
    : outcome === 'downgraded' && shownProblem ? 'renewed' : null;

  async function save() {
    if (busy) return;
    if (problem) {
      setPressed(true);
      arrInput.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      // Under the key of the same outcome left unanswered (a sign-out forgets it): recorded again
      // after a lost answer, the server answers the first, not 'This renewal workflow is completed'.
      const newArr = needsArr ? Number(arr) : null;
      // Nobody works it (past its decision, no open workflow): recorded by its customer.
      const executionId = item.execution_id;
      await (executionId === null
        ? sendOnce(`record_customer_renewal_outcome:${item.customer.id}`, { outcome, newArr }, newId(),
            (key) => forecastApi.recordCustomerOutcome(item.customer.id, outcome, newArr, key))
        : sendOnce(`record_renewal_outcome:${executionId}`, { outcome, newArr }, newId(),
            (key) => forecastApi.recordOutcome(executionId, outcome, newArr, key)));
      onRecorded(`${item.customer.name}: ${BUCKET_LABELS[outcome].toLowerCase()}${needsArr ? ` at ${formatMoney(Number(arr))}` : ''}.`);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title={`Outcome of ${possessive(item.customer.name)} renewal`} onClose={onClose}
      footer={<><button type="button" className="btn btn-ghost" onClick={onClose}>Cancel</button>
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void save()}>Record as {BUCKET_LABELS[outcome].toLowerCase()}</button></>}>
      <p className="muted">ARR today {formatMoney(item.current_arr)}. Recording the outcome sets the customer's ARR, starts next year's renewal (unless churned) and closes this renewal.</p>
      <fieldset className="outcome-choices">
        <legend>Outcome</legend>
        {OUTCOMES.map((key) => (
          <label key={key} className="field-inline">
            <input type="radio" name="outcome" value={key} checked={outcome === key} onChange={() => setOutcome(key)} />
            {BUCKET_LABELS[key]}
          </label>
        ))}
      </fieldset>
      {needsArr ? (
        <label className="field">
          <span>New ARR</span>
          <input ref={arrInput} type="number" min={0} step="0.01" value={arr} onChange={(event) => { setArr(event.target.value); setTyped(true); }}
            aria-invalid={shownProblem ? true : undefined} aria-describedby={shownProblem ? problemId : undefined} />
          <span className="field-hint">{outcome === 'renewed' ? 'The same or more than today.' : 'Less than today, above 0.'}</span>
        </label>
      ) : null}
      {shownProblem ? (
        <p className="inline-error" role="alert" id={problemId} data-testid="outcome-arr-problem">
          {shownProblem}
          {suggestion ? <>{' '}<button type="button" className="linklike" onClick={() => setOutcome(suggestion)}>Choose {BUCKET_LABELS[suggestion]}</button></> : null}
        </p>
      ) : null}
      {error ? <InlineError error={error} /> : null}
    </Dialog>
  );
}
