// The renewal forecast of a quarter (totals by category, by month, the renewals behind each
// number, categories editable inline, outcomes recorded) and retention (GRR / NRR of the
// last twelve months with monthly charts). For csms, managers and admins; a csm starts on
// their own renewals, a manager on everyone's, and a viewer (who reaches it by its address)
// on everyone's too. Definitions: docs/forecast-and-retention.md.
import { useMemo, useState } from 'react';
import { useWorkspace, isManager, canAct } from '../lib/context.ts';
import { formatRange, possessive } from '../lib/format.ts';
import { useAsync } from '../hooks/useAsync.ts';
import { ErrorState, LoadingState } from '../components/States.tsx';
import { useTeamMembers } from '../features/queue/useTeamMembers.ts';
import { addMonths, BUCKET_LABELS, forecastApi, monthLabel, quarterStart } from '../features/forecast/api.ts';
import { ForecastTotals, type Selection } from '../features/forecast/ForecastTotals.tsx';
import { RenewalList } from '../features/forecast/RenewalList.tsx';
import { RetentionPanel } from '../features/forecast/RetentionPanel.tsx';
import '../features/forecast/forecast.css';

const QUARTERS = [
  { offset: 0, label: 'This quarter' },
  { offset: 1, label: 'Next quarter' },
  { offset: 2, label: 'The quarter after' },
  { offset: -1, label: 'Last quarter' },
];

/**
 * What the list says when no renewal is behind the number: whose renewals, when, and what to
 * change to see some ("None of your renewals is due Oct 2026 to Dec 2026. …"), rather than a
 * bare "No renewals here." that leaves the person guessing which choice emptied it.
 */
export function noRenewalsText({ whose, when, category }: { whose: null | 'mine' | string; when: string; category: string | null }): string {
  const kind = category ? `${category.toLowerCase()} renewal` : 'renewal';
  const owner = whose === null ? `No ${kind} is` : whose === 'mine' ? `None of your ${kind}s is` : `None of ${possessive(whose)} ${kind}s is`;
  const next = category ? 'Show all to see every renewal of the period.'
    : whose === null ? 'Choose another period.' : 'Choose another period, or Everyone under Whose.';
  return `${owner} due ${when}. ${next}`;
}

export function ForecastPage({ today = new Date() }: { today?: Date }) {
  const { api, profile } = useWorkspace();
  const fapi = useMemo(() => forecastApi(api), [api]);
  const team = useTeamMembers('reassign');
  const [offset, setOffset] = useState(0);
  // A viewer holds no renewals (it never takes work), so "Mine" would always be empty: not offered.
  const holdsRenewals = canAct(profile);
  const [whose, setWhose] = useState(isManager(profile) || !holdsRenewals ? '' : profile.id);
  const [selection, setSelection] = useState<Selection>({ category: null, month: null });
  const periodStart = quarterStart(today, offset);
  const periodEnd = addMonths(periodStart, 3);
  // The last twelve full months.
  const retentionEnd = `${today.toISOString().slice(0, 7)}-01`;
  const retentionStart = addMonths(retentionEnd, -12);

  const forecast = useAsync(() => fapi.getForecast({
    period_start: periodStart, period_end: periodEnd, assignee_id: whose || null,
    category: selection.category, month: selection.month, max_items: 200,
  }), [fapi, periodStart, periodEnd, whose, selection.category, selection.month]);
  const retention = useAsync(() => fapi.getRetention(retentionStart, retentionEnd), [fapi, retentionStart, retentionEnd]);

  const choose = (next: Partial<{ offset: number; whose: string }>) => {
    if (next.offset !== undefined) setOffset(next.offset);
    if (next.whose !== undefined) setWhose(next.whose);
    setSelection({ category: null, month: null });
  };

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Forecast</h1>
          <p className="muted">Renewals due {formatRange(periodStart, addMonths(periodEnd, -1), monthLabel)}, by forecast category. A category is derived from health and risk until someone sets it.</p>
        </div>
        <div className="page-head-actions">
          <label className="field field-inline">
            <span>Period</span>
            <select value={offset} onChange={(event) => choose({ offset: Number(event.target.value) })}>
              {QUARTERS.map((quarter) => <option key={quarter.offset} value={quarter.offset}>{quarter.label}</option>)}
            </select>
          </label>
          <label className="field field-inline">
            <span>Whose</span>
            <select value={whose} onChange={(event) => choose({ whose: event.target.value })}>
              <option value="">Everyone</option>
              {holdsRenewals ? <option value={profile.id}>Mine</option> : null}
              {(team.data ?? []).filter((member) => member.id !== profile.id).map((member) => <option key={member.id} value={member.id}>{member.full_name}</option>)}
            </select>
          </label>
        </div>
      </div>

      {forecast.error ? <ErrorState error={forecast.error} onRetry={() => void forecast.reload()} /> : null}
      {!forecast.data && forecast.loading ? <LoadingState label="Loading the forecast…" rows={4} /> : null}
      {forecast.data ? (
        <>
          <ForecastTotals forecast={forecast.data} selection={selection} onSelect={setSelection} />
          <section className="panel" aria-labelledby="renewals-title">
            <div className="panel-head">
              <h2 id="renewals-title">
                {selection.category ? BUCKET_LABELS[selection.category] : 'All renewals'}
                {selection.month ? ` in ${monthLabel(selection.month)}` : ''}
                <span className="muted"> ({forecast.data.items_total})</span>
              </h2>
              {selection.category || selection.month ? (
                <button type="button" className="btn btn-small btn-ghost" onClick={() => setSelection({ category: null, month: null })}>Show all</button>
              ) : null}
            </div>
            <RenewalList items={forecast.data.items} total={forecast.data.items_total} profile={profile} forecastApi={fapi}
              onChanged={() => { void forecast.reload(); }}
              empty={noRenewalsText({
                whose: whose === '' ? null : whose === profile.id ? 'mine' : team.data?.find((member) => member.id === whose)?.full_name ?? 'theirs',
                when: selection.month ? monthLabel(selection.month) : formatRange(periodStart, addMonths(periodEnd, -1), monthLabel),
                category: selection.category ? BUCKET_LABELS[selection.category] : null,
              })} />
          </section>
        </>
      ) : null}

      {retention.error ? <ErrorState error={retention.error} title="Retention could not be loaded" onRetry={() => void retention.reload()} /> : null}
      {retention.data ? <RetentionPanel metrics={retention.data} /> : null}
    </div>
  );
}
