// Everything about the customer beside the workflow: plan, stage, health, ARR (12-month
// chart), usage, engagement, account team and stakeholders, and how fresh each part is.
import type { ReactNode } from 'react';
import { useWorkspace } from '../../lib/context.ts';
import { useAsync, type AsyncState } from '../../hooks/useAsync.ts';
import { formatAge, formatDate, formatMoney, formatMoneyChange, humanize, joinPresent } from '../../lib/format.ts';
import type { CustomerContext, ScoreIntelligence, Trend } from '../../lib/types.ts';
import { Badge, PlanBadge, StageBadge } from '../../components/Badges.tsx';
import { ErrorState, LoadingState } from '../../components/States.tsx';
import { RenewalDate } from '../../components/RenewalDate.tsx';
import { ArrChart } from './ArrChart.tsx';
import { TrendChart } from './TrendChart.tsx';
import { arrSeries } from './arrSeries.ts';
import { UNASSIGNED } from '../../lib/people.ts';

function TrendMark({ trend, goodWhenUp = true }: { trend: Trend | undefined; goodWhenUp?: boolean }) {
  if (!trend) return null;
  const tone = trend === 'stable' ? 'muted' : (trend === 'up') === goodWhenUp ? 'good' : 'bad';
  const symbol = trend === 'up' ? '▲' : trend === 'down' ? '▼' : '→';
  return <span className={`trend trend-${tone}`} aria-label={`trend ${trend}`}>{symbol}</span>;
}

function Section({ title, fresh, children }: { title: string; fresh?: string | null; children: ReactNode }) {
  return (
    <section className="ctx-section">
      <div className="ctx-head">
        <h3>{title}</h3>
        {/* When its data last changed, in words (a hover tooltip held the moment before). */}
        {fresh ? <time className="ctx-fresh" dateTime={fresh}>updated {formatAge(fresh)}</time> : <span className="ctx-fresh">no data recorded</span>}
      </div>
      {children}
    </section>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return <div className="ctx-row"><dt>{label}</dt><dd>{children}</dd></div>;
}

function Score({ label, score, goodWhenUp = true }: { label: string; score: ScoreIntelligence | undefined; goodWhenUp?: boolean }) {
  return (
    <div className="score">
      <span className="score-value">{score?.score ?? '—'}<TrendMark trend={score?.trend} goodWhenUp={goodWhenUp} /></span>
      <span className="score-label">{label}</span>
    </div>
  );
}

export function ContextView({ context }: { context: CustomerContext }) {
  const { customer, data, account_team: team, freshness, intelligence } = context;
  const series = arrSeries(data.financials);
  const fin = data.financials;
  const usage = data.usage;
  const eng = data.engagement;
  const people = [
    { role: 'CSM', person: team.csm },
    { role: 'Account executive', person: team.account_executive },
    { role: 'Support engineer', person: team.support_engineer },
  ];
  return (
    <div className="ctx">
      <div className="ctx-top">
        <h2 className="ctx-name">{customer.name}</h2>
        <div className="sub">{joinPresent([customer.domain, customer.industry])}</div>
        <div className="btn-row ctx-badges">
          <StageBadge stage={customer.renewal_stage} />
          <PlanBadge plan={customer.account_plan} />
        </div>
        <p className="small" data-testid="context-renewal">
          <RenewalDate renewalDate={customer.renewal_date} decisionDate={customer.decision_date}
            daysUntilRenewal={customer.days_until_renewal} daysUntilDecision={customer.days_until_decision} />
        </p>
      </div>

      <Section title="Health and signals" fresh={freshness.intelligence}>
        <div className="scores">
          <Score label="Health" score={intelligence?.health} />
          <Score label="Risk" score={intelligence?.risk} goodWhenUp={false} />
          <Score label="Opportunity" score={intelligence?.opportunity} />
        </div>
      </Section>

      <Section title="ARR" fresh={freshness.financials}>
        <div className="ctx-big">{formatMoney(fin.current_arr ?? customer.arr)} <TrendMark trend={fin.trend} /></div>
        {fin.previous_arr !== null && fin.arr_change !== null ? (
          <p className="small muted">{formatMoneyChange(Math.abs(fin.arr_change), fin.arr_change < 0 ? 'down' : 'up')} since {formatDate(fin.arr_changed_at)} (was {formatMoney(fin.previous_arr)})</p>
        ) : null}
        <ArrChart points={series.points} derived={series.derived} />
      </Section>

      <Section title="Usage" fresh={freshness.usage}>
        {usage.active_users === null ? <p className="muted small">No usage recorded.</p> : (
          <>
            <div className="ctx-big">{usage.active_users}{usage.licensed_seats ? <span className="muted"> / {usage.licensed_seats} seats</span> : null} <TrendMark trend={usage.trend} /></div>
            {usage.utilisation !== null ? (
              <div className="meter" role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(usage.utilisation * 100)} aria-label="Seat utilisation">
                <span style={{ width: `${Math.min(100, Math.round(usage.utilisation * 100))}%` }} />
              </div>
            ) : null}
            <p className="small muted">{joinPresent([
              usage.utilisation !== null && `${Math.round(usage.utilisation * 100)}% utilisation`,
              usage.baseline_active_users !== null && `${usage.baseline_active_users} active users 90 days ago`,
            ])}</p>
            {(usage.history ?? []).length > 1 ? (
              <TrendChart subject="Active users" height={48} caption="active users" format={(value) => String(Math.round(value))}
                points={usage.history.filter((entry) => entry.active_users !== null).sort((a, b) => a.recorded_at.localeCompare(b.recorded_at))
                  .map((entry) => ({ key: entry.recorded_at, label: formatDate(entry.recorded_at).replace(/ \d{4}$/, ''), value: entry.active_users ?? 0 }))} />
            ) : null}
          </>
        )}
      </Section>

      <Section title="Engagement" fresh={freshness.engagement}>
        <dl className="ctx-list">
          <Row label="Last contact">{eng.last_contact_at ? <>{formatAge(eng.last_contact_at)}{eng.last_contact_type ? <span className="muted"> · {humanize(eng.last_contact_type)}</span> : null}</> : '—'}</Row>
          <Row label="Last QBR">{formatDate(eng.last_qbr_at)}</Row>
          <Row label="Next QBR">{formatDate(eng.next_qbr_at)}</Row>
          <Row label="NPS">{eng.nps_score ?? '—'}</Row>
          <Row label="Open tickets">{eng.open_tickets ?? '—'}</Row>
        </dl>
      </Section>

      <Section title="Account team" fresh={freshness.account_team}>
        <dl className="ctx-list">
          {people.map(({ role, person }) => <Row key={role} label={role}>{person ? person.full_name : <span className="muted">{UNASSIGNED}</span>}</Row>)}
        </dl>
        <h4 className="ctx-sub">Stakeholders</h4>
        {(team.stakeholders ?? []).length === 0 ? <p className="muted small">No stakeholders recorded.</p> : (
          <ul className="stakeholders">
            {(team.stakeholders ?? []).map((person, index) => (
              <li key={person.id ?? index}>
                <div className="stakeholder-name">{person.name}
                  {person.is_champion ? <Badge tone="success">Champion</Badge> : null}
                  {person.is_decision_maker ? <Badge tone="info">Decision maker</Badge> : null}
                </div>
                <div className="sub">{joinPresent([person.title, person.influence ? `${humanize(person.influence)} influence` : null])}</div>
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  );
}

/**
 * The customer context of a workflow, loaded once for its page: the panel shows it, and the
 * drafts' recipients and Schedule Meeting's attendees are checked against and offered from it.
 */
export function useCustomerContext(executionId: string, refreshKey: number): AsyncState<CustomerContext> {
  const { api } = useWorkspace();
  return useAsync(() => api.getCustomerContext(executionId), [api, executionId, refreshKey]);
}

/** The workflow's customer context (get_customer_context), loaded once for the page (useCustomerContext). */
export function ContextPanel({ context }: { context: AsyncState<CustomerContext> }) {
  return (
    <aside className="context-panel" aria-label="Customer context" tabIndex={0}>
      {context.loading && !context.data ? <LoadingState label="Loading the customer…" /> : null}
      {context.error ? <ErrorState error={context.error} title="The customer context could not be loaded" onRetry={() => void context.reload()} /> : null}
      {context.data ? <ContextView context={context.data} /> : null}
    </aside>
  );
}
