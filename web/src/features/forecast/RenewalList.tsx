// The renewals behind the selected number: customer, renewal date (with its notice
// deadline), ARR today and forecast, and the category, editable inline by whoever may work
// on the renewal (set_renewal_forecast); an open renewal's outcome is recorded from here, by its
// workflow or, for one past its decision that nobody works, by its customer.
import { useState } from 'react';
import { Link } from '../../components/Link.tsx';
import { RenewalDate } from '../../components/RenewalDate.tsx';
import { InlineError } from '../../components/States.tsx';
import { ActionNotice, useActionNotice } from '../../components/ActionNotice.tsx';
import { formatMoney } from '../../lib/format.ts';
import { paths } from '../../lib/router.ts';
import type { Profile } from '../../lib/types.ts';
import { BUCKET_LABELS, FORECAST_CATEGORIES, type ForecastApi, type ForecastCategory, type ForecastItem } from './api.ts';
import { OutcomeDialog } from './OutcomeDialog.tsx';
import { TableScroller } from '../../components/TableScroller.tsx';
import { Toggletip } from '../../components/Toggletip.tsx';

interface Props {
  items: ForecastItem[];
  total: number;
  profile: Profile;
  forecastApi: ForecastApi;
  onChanged: () => void;
  /** What an empty list says: whose renewals, when, and what to change to see some. */
  empty?: string;
}

/** The server decides (RLS and the escalation hold); this only avoids offering what would be refused. */
function mayWork(profile: Profile, item: ForecastItem): boolean {
  if (item.state !== 'open') return false;
  // Escalated: nobody forecasts or records the outcome until the escalation is decided.
  if (item.on_hold) return false;
  if (profile.role === 'manager' || profile.role === 'admin') return true;
  return profile.role === 'csm' && (item.assignee_id === null || item.assignee_id === profile.id);
}

/** Its category is set on its open renewal workflow: none is offered without one. */
export function mayChange(profile: Profile, item: ForecastItem): boolean {
  return item.execution_id !== null && mayWork(profile, item);
}

/** Its outcome is recorded on its workflow, or, nobody working it past its decision (the
 *  orchestrator opens none 30 days on), by its customer (record_customer_renewal_outcome). */
export function mayRecordOutcome(profile: Profile, item: ForecastItem): boolean {
  const pastDecision = (item.days_until_decision ?? 0) < 0;
  if (item.execution_id === null && !pastDecision) return false;
  return mayWork(profile, item);
}

export function RenewalList({ items, total, profile, forecastApi, onChanged, empty = 'No renewals here.' }: Props) {
  const [saving, setSaving] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [closing, setClosing] = useState<ForecastItem | null>(null);
  // A recorded outcome takes its renewal off the list, with the button it came from: the
  // notice that says what was recorded takes the focus.
  const notice = useActionNotice();

  async function change(item: ForecastItem, category: ForecastCategory) {
    if (item.execution_id === null) return; // not offered (mayChange)
    setSaving(item.execution_id);
    setError(null);
    notice.clear();
    try {
      await forecastApi.setForecast(item.execution_id, category);
      onChanged();
    } catch (caught) {
      setError(caught);
    } finally {
      setSaving(null);
    }
  }

  if (items.length === 0) return <><ActionNotice notice={notice} /><p className="muted">{empty}</p></>;
  return (
    <>
      <ActionNotice notice={notice} />
      {error ? <InlineError error={error} /> : null}
      <CategoryNotes />
      <TableScroller label="Renewals behind the selected number">
        <table className="queue-table forecast-items">
          <thead>
            <tr><th>Customer</th><th>Renewal</th><th className="num">ARR today</th><th className="num">Forecast ARR</th><th>Category</th><th><span className="visually-hidden">Outcome</span></th></tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={`${item.customer.id}-${item.renewal_date}-${item.state}`} data-testid="forecast-item">
                <td><Link className="row-link" href={paths.customer(item.customer.id)}>{item.customer.name}</Link></td>
                <td>
                  {/* an open renewal says how far its decision is ("12 days overdue", counted by the server from the organisation's today) */}
                  <RenewalDate renewalDate={item.renewal_date} decisionDate={item.decision_date}
                    daysUntilDecision={item.days_until_decision} daysUntilRenewal={item.days_until_renewal} />
                </td>
                <td className="num">{formatMoney(item.current_arr)}</td>
                <td className="num">{formatMoney(item.forecast_arr)}</td>
                <td>
                  {item.state === 'open' && mayChange(profile, item) ? (
                    <label className="field-inline">
                      <span className="visually-hidden">Category of {item.customer.name}</span>
                      <select value={item.category} disabled={saving === item.execution_id}
                        onChange={(event) => void change(item, event.target.value as ForecastCategory)}>
                        {FORECAST_CATEGORIES.map((key) => <option key={key} value={key}>{BUCKET_LABELS[key]}</option>)}
                      </select>
                    </label>
                  ) : <span className={`bucket-tag bucket-${item.category}`}>{BUCKET_LABELS[item.category]}</span>}
                  {item.category_source === 'derived' ? <span className="sub">derived</span> : null}
                  {item.on_hold ? <span className="sub">on hold: escalated</span> : null}
                  {item.state === 'open' && item.execution_id === null ? <span className="sub">no open workflow</span> : null}
                </td>
                <td>
                  {mayRecordOutcome(profile, item) ? (
                    <button type="button" className="btn btn-small" onClick={() => setClosing(item)}>Record outcome</button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroller>
      {total > items.length ? <p className="muted">Showing {items.length} of {total}; pick a category or month above to narrow the list.</p> : null}
      {closing ? (
        <OutcomeDialog item={closing} forecastApi={forecastApi} onClose={() => setClosing(null)}
          onRecorded={(said) => { setClosing(null); notice.show(said, { takeFocus: true }); onChanged(); }} />
      ) : null}
    </>
  );
}

/** What the words under a category mean, a tap away (each was a hover tooltip on its row before). */
function CategoryNotes() {
  return (
    <p className="table-note">
      Under a category{' '}
      <Toggletip label="About derived, on hold and no open workflow">
        <dl>
          <div><dt>derived</dt><dd>Derived from health and risk until someone sets it.</dd></div>
          <div><dt>on hold: escalated</dt><dd>Its workflow is escalated: the forecast and outcome wait for the manager's decision.</dd></div>
          <div><dt>no open workflow</dt><dd>No open renewal workflow: its category is not set here; past its decision, its outcome is recorded here.</dd></div>
        </dl>
      </Toggletip>
    </p>
  );
}
