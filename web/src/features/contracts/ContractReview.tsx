// The review of one extraction: each field beside the sentence it came from, highlighted in
// its page, with the model's confidence. A person confirms the value, types the right one,
// or rejects the field — one field at a time, or every remaining proposal at once. Only
// their decisions change the contract.
import { useRef, useState, type FormEvent } from 'react';
import { useSubmit } from '../../hooks/useSubmit.ts';
import { useReturnFocus } from '../../hooks/useReturnFocus.ts';
import type { ContractExtraction, ExtractedField } from '../../../../functions-shared/api/index.ts';
import { CONTRACT_FIELD_LABELS, CONTRACT_NUMBER_FIELDS, type ContractFieldKey, type ContractFieldValue } from '../../../../functions-shared/contracts/fields.ts';
import { Badge } from '../../components/Badges.tsx';
import { InlineError } from '../../components/States.tsx';
import { describedBy, FieldError } from '../../components/FieldError.tsx';
import { useFieldProblem } from '../../hooks/useFieldProblem.ts';
import { correctionProblem } from './correctionProblem.ts';
import { FormButtons } from '../../components/FormButtons.tsx';
import { DateInput } from '../../components/DateInput.tsx';
import { ActionNotice, useActionNotice } from '../../components/ActionNotice.tsx';
import { formatDate } from '../../lib/format.ts';
import type { ContractsApi, FieldDecision } from './api.ts';
import { excerptAround, findQuote } from './highlight.ts';
import { modelName } from '../chat/citations.ts';

const STATUS_TONE: Record<ExtractedField['status'], string> = { proposed: 'info', confirmed: 'success', corrected: 'warning', rejected: 'muted' };
const BOOLEAN_FIELDS: ContractFieldKey[] = ['auto_renew', 'termination_for_convenience'];
const DATE_FIELDS: ContractFieldKey[] = ['start_date', 'end_date'];

export function showValue(key: ContractFieldKey, value: ContractFieldValue): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (DATE_FIELDS.includes(key)) return formatDate(String(value));
  if (key === 'annual_value') return Number(value).toLocaleString('en-US'); // its currency is a field of its own
  if (key === 'price_increase_cap_pct') return `${value}%`;
  return String(value);
}

/** The text a correction input holds, and back. */
function toInput(value: ContractFieldValue): string {
  return value === null || value === undefined ? '' : String(value);
}
function fromInput(key: ContractFieldKey, text: string): ContractFieldValue {
  if (BOOLEAN_FIELDS.includes(key)) return text === 'true';
  if (CONTRACT_NUMBER_FIELDS.includes(key)) return text.trim() === '' ? null : Number(text);
  if (key === 'currency') return text.trim().toUpperCase();
  return text.trim();
}

function Quote({ field, pages }: { field: ExtractedField; pages: string[] }) {
  if (field.quote_discarded) {
    return <p className="small contract-quote-missing">The model's quote is not in the document, so its value was discarded.</p>;
  }
  if (!field.quote || !field.page) return <p className="small muted">Not found in the document.</p>;
  const page = pages[field.page - 1] ?? '';
  const range = findQuote(page, field.quote);
  if (!range) return <blockquote className="contract-quote">“{field.quote}”</blockquote>;
  const excerpt = excerptAround(page, range);
  return (
    <blockquote className="contract-quote" data-testid="contract-quote">
      <span className="muted">{excerpt.before}</span><mark>{excerpt.quote}</mark><span className="muted">{excerpt.after}</span>
      <footer className="small muted">page {field.page}</footer>
    </blockquote>
  );
}

function FieldRow({ field, pages, canEdit, busy, onDecide }: {
  field: ExtractedField; pages: string[]; canEdit: boolean; busy: boolean;
  /** Sends the decision; true once it is saved. */
  onDecide: (decision: FieldDecision) => Promise<boolean>;
}) {
  const key = field.key;
  const current = field.confirmed_value ?? field.value;
  const [draft, setDraft] = useState(toInput(current));
  const [editing, setEditing] = useState(false);
  // Correct (or Enter value) goes away while its form is open: the form's field takes the focus
  // (autoFocus), and Cancel gives it back to the button rather than dropping it to the page.
  const correctButton = useReturnFocus<HTMLButtonElement>();
  // A typed value the contract cannot take is said beside the field, which keeps the focus and
  // what was typed; the form closes only once the value is saved.
  const problem = useFieldProblem<'value'>();
  const valueBox = useRef<HTMLInputElement & HTMLSelectElement>(null);
  const label = CONTRACT_FIELD_LABELS[key];
  const inputId = `contract-field-${key}`;
  const problemId = `${inputId}-problem`;
  const control = { id: inputId, autoFocus: true, ref: valueBox, ...describedBy([problemId, problem.of('value')]) };
  const type = (text: string) => { setDraft(text); problem.changed('value'); };

  async function saveCorrection(event: FormEvent) {
    event.preventDefault();
    const wrong = correctionProblem(key, draft);
    if (wrong) return problem.show('value', wrong, valueBox.current);
    if (await onDecide({ key, value: fromInput(key, draft) })) setEditing(false);
  }

  return (
    <li className="contract-field" data-testid="contract-field" data-field={key}>
      <div className="contract-field-side">
      <div className="contract-field-head">
        <div>
          <div className="item-title">{label}</div>
          <div className="contract-value">
            <strong data-testid="contract-field-value">{showValue(key, current)}</strong>
            {field.status === 'corrected' ? <span className="small muted"> (proposed {showValue(key, field.value)})</span> : null}
          </div>
        </div>
        <div className="btn-row">
          <Badge tone={STATUS_TONE[field.status]}>{field.status}</Badge>
          {field.value !== null && field.status === 'proposed' ? <span className="small muted">the model is {Math.round(field.confidence * 100)}% sure</span> : null}
        </div>
      </div>
      {canEdit ? (
        editing ? (
          <form className="btn-row" onSubmit={(event) => void saveCorrection(event)} noValidate>
            <label className="visually-hidden" htmlFor={inputId}>{label}</label>
            {BOOLEAN_FIELDS.includes(key) ? (
              <select {...control} value={draft} onChange={(event) => type(event.target.value)}>
                <option value="">Choose…</option><option value="true">Yes</option><option value="false">No</option>
              </select>
            ) : DATE_FIELDS.includes(key) ? (
              <DateInput {...control} value={draft} onChange={(event) => type(event.target.value)} />
            ) : (
              <input {...control} type={CONTRACT_NUMBER_FIELDS.includes(key) ? 'number' : 'text'}
                step={key === 'annual_value' || key === 'price_increase_cap_pct' ? '0.01' : undefined}
                value={draft} onChange={(event) => type(event.target.value)} />
            )}
            <FormButtons cancel={<button type="button" className="btn btn-small btn-ghost" onClick={() => { setEditing(false); problem.clear(); correctButton.returnFocus(); }}>Cancel</button>}>
              <button type="submit" className="btn btn-small btn-primary" disabled={busy || draft === ''}>Save</button>
            </FormButtons>
            <FieldError id={problemId} message={problem.of('value')} />
          </form>
        ) : (
          <div className="btn-row">
            {field.value !== null ? (
              <button type="button" className="btn btn-small" disabled={busy || field.status === 'confirmed'}
                onClick={() => void onDecide({ key, value: field.value })}>Confirm</button>
            ) : null}
            <button ref={correctButton.ref} type="button" className="btn btn-small" disabled={busy} onClick={() => { setDraft(toInput(current)); setEditing(true); }}>
              {field.value === null ? 'Enter value' : 'Correct'}
            </button>
            {field.value !== null ? (
              <button type="button" className="btn btn-small btn-ghost" disabled={busy || field.status === 'rejected'}
                onClick={() => void onDecide({ key, reject: true })}>Reject</button>
            ) : null}
          </div>
        )
      ) : null}
      </div>
      <Quote field={field} pages={pages} />
    </li>
  );
}

export function ContractReview({ extraction, calls, canEdit, onChanged, onClose }: {
  extraction: ContractExtraction; calls: ContractsApi; canEdit: boolean;
  onChanged: (updated: ContractExtraction) => void; onClose: () => void;
}) {
  const { busy, error, run } = useSubmit();
  const notice = useActionNotice();
  const pages = extraction.pages ?? [];
  const pending = extraction.fields.filter((field) => field.status === 'proposed' && field.value !== null);

  /** Sends the decisions; true once they are saved (a refusal is shown, and false). */
  async function decide(decisions: FieldDecision[], message: string): Promise<boolean> {
    notice.clear();
    let saved = false;
    await run(async () => {
      const updated = await calls.confirm(extraction.id, decisions);
      saved = true;
      onChanged({ ...updated, pages });
      notice.show(message);
      // The control used goes with the decision (Save's form, Confirm all) or stays disabled
      // (a confirmed field's Confirm): the notice that says what changed takes the focus.
      notice.focusIfLost();
    });
    return saved;
  }

  return (
    <div className="contract-review" data-testid="contract-review">
      {/* On a phone the buttons go under the document's name rather than push the page wider. */}
      <div className="panel-head panel-head-wrap">
        <h3>Review: {extraction.document_name}</h3>
        <div className="btn-row">
          {canEdit && pending.length > 0 ? (
            <button type="button" className="btn btn-small btn-primary" disabled={busy}
              onClick={() => void decide(pending.map((field) => ({ key: field.key, value: field.value })), `Confirmed ${pending.length} fields; the contract is updated.`)}>
              Confirm all {pending.length} proposed
            </button>
          ) : null}
          <button type="button" className="btn btn-small btn-ghost" onClick={onClose}>Close</button>
        </div>
      </div>
      <p className="small muted">
        Read by {modelName(extraction.model) ?? 'a model'} from {extraction.page_count} page{extraction.page_count === 1 ? '' : 's'}. Nothing changes on the contract until you confirm or correct a field.
      </p>
      <ActionNotice notice={notice} />
      <InlineError error={error} />
      <ul className="contract-fields">
        {extraction.fields.map((field) => (
          <FieldRow key={`${field.key}-${field.status}-${String(field.confirmed_value)}`} field={field} pages={pages} canEdit={canEdit} busy={busy}
            onDecide={(decision) => decide([decision], `${CONTRACT_FIELD_LABELS[field.key]} saved; the contract is updated.`)} />
        ))}
      </ul>
    </div>
  );
}
