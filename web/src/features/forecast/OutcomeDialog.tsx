// Closing a renewal: renewed (same or higher ARR), downgraded (a lower ARR above 0) or
// churned. The server enforces the same rules (record_renewal_outcome) and answers in words.
import { useState } from 'react';
import { Dialog } from '../../components/Dialog.tsx';
import { InlineError } from '../../components/States.tsx';
import { formatMoney } from '../../lib/format.ts';
import { BUCKET_LABELS, OUTCOMES, type ForecastApi, type ForecastItem, type RenewalOutcome } from './api.ts';

interface Props {
  item: ForecastItem;
  forecastApi: ForecastApi;
  onClose: () => void;
  onRecorded: () => void;
}

export function OutcomeDialog({ item, forecastApi, onClose, onRecorded }: Props) {
  const [outcome, setOutcome] = useState<RenewalOutcome>('renewed');
  const [arr, setArr] = useState(String(item.current_arr));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const needsArr = outcome !== 'churned';

  async function save() {
    setBusy(true);
    setError(null);
    try {
      await forecastApi.recordOutcome(item.execution_id, outcome, needsArr ? Number(arr) : null);
      onRecorded();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title={`Outcome of ${item.customer.name}'s renewal`} onClose={onClose}
      footer={<div className="btn-row"><button type="button" className="btn" onClick={onClose}>Cancel</button>
        <button type="button" className="btn btn-primary" disabled={busy || (needsArr && !(Number(arr) >= 0 && arr.trim() !== ''))} onClick={() => void save()}>Record {BUCKET_LABELS[outcome].toLowerCase()}</button></div>}>
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
          <input type="number" min={0} step="0.01" value={arr} onChange={(event) => setArr(event.target.value)} />
          <span className="field-hint">{outcome === 'renewed' ? 'The same or more than today.' : 'Less than today, above 0.'}</span>
        </label>
      ) : null}
      {error ? <InlineError error={error} /> : null}
    </Dialog>
  );
}
