// The manager's home: the team's open work by lane, overdue and escalated (one call,
// get_team_overview), the escalations inbox (decide from here), and the team's renewals
// this quarter. Managers and admins only; the server refuses anyone else.
import { useState } from 'react';
import { isManager, useWorkspace } from '../lib/context.ts';
import { paths } from '../lib/router.ts';
import { formatDate, formatDaysUntil, formatMoney, formatMoneyCompact } from '../lib/format.ts';
import { useAsync } from '../hooks/useAsync.ts';
import { Link } from '../components/Link.tsx';
import { Badge, StageBadge } from '../components/Badges.tsx';
import { EmptyState, ErrorState, LoadingState } from '../components/States.tsx';
import { ActionNotice, useActionNotice } from '../components/ActionNotice.tsx';
import { escalationApi } from '../features/escalation/api.ts';
import type { EscalationItem, TeamMemberWork } from '../features/escalation/types.ts';
import { ResolveDialog } from '../features/escalation/ResolveDialog.tsx';
import { EscalationInboxItem } from '../features/escalation/EscalationInboxItem.tsx';
import { OverdueRenewalsStat } from '../features/escalation/OverdueRenewalsStat.tsx';
import '../features/escalation/escalation.css';
import { TableScroller } from '../components/TableScroller.tsx';
import { PartsLine } from '../components/PartsLine.tsx';
import { UNASSIGNED } from '../lib/people.ts';
import { roleName } from '../features/admin-people/roleChange.ts';
import { LANE_LABEL } from '../features/queue/lanes.ts';

function MemberRow({ member, widest }: { member: TeamMemberWork; widest: number }) {
  return (
    <tr>
      <td>
        <strong>{member.full_name}</strong>{member.deactivated ? <> <Badge tone="warning">Deactivated</Badge></> : null}
        <div className="small muted"><PartsLine parts={[member.title ?? roleName(member.role), member.reports_to_me ? 'reports to you' : null]} /></div>
        {/* Their work stays theirs, and waits, until someone hands it over. */}
        {member.deactivated && member.open_total + member.open_tasks > 0
          ? <div className="small">Cannot sign in: hand their work over on <Link href={paths.adminPeople}>People</Link>.</div> : null}
      </td>
      <td>
        <div className="team-lanes" aria-label={`Lanes of ${member.full_name}`}>
          {/* Each lane by its name, as the queue's badges and the totals above say it. */}
          <Badge tone={member.lanes.now > 0 ? 'danger' : 'muted'}>{`${LANE_LABEL.now} ${member.lanes.now}`}</Badge>
          <Badge tone={member.lanes.soon > 0 ? 'warning' : 'muted'}>{`${LANE_LABEL.soon} ${member.lanes.soon}`}</Badge>
          <Badge tone="neutral">{`${LANE_LABEL.planned} ${member.lanes.planned}`}</Badge>
        </div>
      </td>
      <td className="num">{member.overdue > 0 ? <strong className="stat-urgent">{member.overdue}</strong> : 0}</td>
      <td className="num">{member.escalated}</td>
      <td className="num">{member.open_tasks}{member.overdue_tasks > 0 ? <span className="small stat-urgent"> ({member.overdue_tasks} late)</span> : null}</td>
      <td>
        <div className="small"><PartsLine parts={[`${member.open_total} open`, `${member.in_progress} in progress`, member.snoozed ? `${member.snoozed} snoozed` : null]} /></div>
        <div className="team-bar" aria-hidden="true"><span style={{ width: `${widest > 0 ? Math.round((member.open_total / widest) * 100) : 0}%` }} /></div>
      </td>
    </tr>
  );
}

/** "Q4 2026" for the server's quarter label "2026-Q4" (any other label as it is). */
function quarterWords(label: string): string {
  const match = /^(\d{4})-(Q[1-4])$/.exec(label);
  return match ? `${match[2]} ${match[1]}` : label;
}

export function TeamPage() {
  const { profile } = useWorkspace();
  // Asked before anything loads: a CSM who types /team gets the explanation, and the
  // browser makes no request the server must refuse.
  if (!isManager(profile)) return <EmptyState title="The team overview is for managers and admins." action={<Link href={paths.queue} className="btn">Go to your queue</Link>} />;
  return <TeamOverview />;
}

function TeamOverview() {
  const { api } = useWorkspace();
  const calls = escalationApi(api.client);
  const overview = useAsync(() => calls.teamOverview(), [api]);
  const inbox = useAsync(() => calls.listEscalations('open'), [api]);
  const [resolving, setResolving] = useState<EscalationItem | null>(null);
  const notice = useActionNotice();
  const [onlyMine, setOnlyMine] = useState(false);

  if (overview.error && !overview.data) return <ErrorState error={overview.error} title="The team overview could not be loaded" onRetry={() => void overview.reload()} />;

  const data = overview.data;
  const members = (data?.members ?? []).filter((member) => !onlyMine || member.reports_to_me);
  const widest = Math.max(0, ...members.map((member) => member.open_total));
  // A renewal whose owner was deactivated waits for someone: its owner is marked, as the team's list marks them.
  const deactivated = new Set((data?.members ?? []).filter((member) => member.deactivated).map((member) => member.id));
  const escalations = inbox.data ?? [];

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Your team</h1>
          <p className="muted">{data ? `As of ${formatDate(data.as_of)} · ${quarterWords(data.quarter.label)}` : 'Loading…'}</p>
        </div>
        <div className="page-head-actions">
          <label className="field-inline"><input type="checkbox" checked={onlyMine} onChange={(event) => setOnlyMine(event.target.checked)} /> Only my reports</label>
          <Link href={paths.queue} className="btn">Team members’ queues</Link>
        </div>
      </div>
      <ActionNotice notice={notice} />

      {data ? (
        <div className="team-stats" role="group" aria-label="Team totals">
          <div className="stat"><span className="stat-value">{data.totals.open}</span><span className="stat-label">open items</span></div>
          <div className="stat"><span className={`stat-value${data.totals.now > 0 ? ' stat-urgent' : ''}`}>{data.totals.now}</span><span className="stat-label">in the {LANE_LABEL.now} lane</span></div>
          <OverdueRenewalsStat renewals={data.renewals} />
          <div className="stat"><span className="stat-value">{data.totals.open_escalations}</span><span className="stat-label">open escalations</span></div>
          <div className="stat"><span className="stat-value">{formatMoneyCompact(data.renewals.arr)}</span><span className="stat-label">ARR renewing this quarter · {data.renewals.count} {data.renewals.count === 1 ? 'renewal' : 'renewals'}</span></div>
        </div>
      ) : <LoadingState label="Loading the team…" rows={3} />}

      <div className="team-grid">
        <section className="panel" aria-labelledby="team-work-title">
          <div className="panel-head"><h2 id="team-work-title">Open work by person</h2></div>
          {data && members.length === 0 ? <p className="muted">Nobody on the team has open work.</p> : null}
          {members.length > 0 ? (
            // Focusable: on a phone the table scrolls sideways inside its frame, also by keyboard.
            <TableScroller label="Open work by person">
              <table className="team-table">
                <thead><tr><th scope="col">Person</th><th scope="col">By lane</th><th scope="col" className="num">Overdue</th><th scope="col" className="num">Escalated</th><th scope="col" className="num">Tasks</th><th scope="col">Workload</th></tr></thead>
                <tbody>{members.map((member) => <MemberRow key={member.id} member={member} widest={widest} />)}</tbody>
              </table>
            </TableScroller>
          ) : null}
        </section>

        <section className="panel" aria-labelledby="inbox-title">
          <div className="panel-head"><h2 id="inbox-title">Escalations <span className="muted">({escalations.length})</span></h2></div>
          {inbox.error ? <ErrorState error={inbox.error} title="The escalations could not be loaded" onRetry={() => void inbox.reload()} /> : null}
          {!inbox.data && !inbox.error ? <LoadingState label="Loading escalations…" rows={2} /> : null}
          {inbox.data && escalations.length === 0 ? <p className="muted">No escalation is waiting for a decision.</p> : null}
          <ul className="esc-list" aria-label="Escalations waiting for a decision">
            {escalations.map((item) => <EscalationInboxItem key={item.id} item={item} onResolve={(chosen) => { notice.clear(); setResolving(chosen); }} />)}
          </ul>
        </section>
      </div>

      <section className="panel" aria-labelledby="renewals-title">
        <div className="panel-head"><h2 id="renewals-title">Renewals this quarter <span className="muted">({data?.renewals.count ?? 0}{data && data.renewals.closed > 0 ? `, ${data.renewals.closed} closed with an outcome` : ''}{data && data.renewals.count - data.renewals.closed > data.renewals.items.length ? `, first ${data.renewals.items.length} open` : ''})</span></h2></div>
        {data && data.renewals.items.length === 0 ? <p className="muted">No customer renews this quarter.</p> : null}
        {data && data.renewals.items.length > 0 ? (
          <TableScroller label="Renewals this quarter">
            <table className="team-table">
              <thead><tr><th scope="col">Customer</th><th scope="col">Renews</th><th scope="col">Decide by</th><th scope="col">Stage</th><th scope="col" className="num">ARR</th><th scope="col" className="num">Health</th><th scope="col">Owner</th><th scope="col">Workflow</th></tr></thead>
              <tbody>
                {data.renewals.items.map((renewal) => (
                  <tr key={renewal.customer_id}>
                    <td><Link href={paths.customer(renewal.customer_id)} className="row-link">{renewal.name}</Link></td>
                    <td>{formatDate(renewal.renewal_date)}</td>
                    <td>{renewal.decision_date && renewal.decision_date !== renewal.renewal_date ? `${formatDate(renewal.decision_date)} ` : ''}<span className={`small ${(renewal.days_until_decision ?? 0) < 0 ? 'text-urgent' : 'muted'}`}>{formatDaysUntil(renewal.days_until_decision)}</span></td>
                    <td><StageBadge stage={renewal.renewal_stage} /></td>
                    <td className="num">{formatMoney(renewal.arr)}</td>
                    <td className="num">{renewal.health_score ?? '—'}</td>
                    <td>{renewal.assignee_name ?? <span className="muted">{UNASSIGNED}</span>}{renewal.assignee_id && deactivated.has(renewal.assignee_id) ? <span className="muted"> (deactivated)</span> : null}</td>
                    <td>{renewal.execution_id ? <Link href={paths.workflow(renewal.execution_id)} aria-label={`Open the workflow of ${renewal.name}`}>Open</Link> : <span className="muted">—</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroller>
        ) : null}
      </section>

      {resolving ? (
        <ResolveDialog executionId={resolving.execution_id} customerName={resolving.customer.name} assigneeId={resolving.assignee?.id ?? null}
          assigneeName={resolving.assignee?.full_name ?? null} reason={resolving.reason} onClose={() => setResolving(null)}
          onResolved={(_, text) => {
            setResolving(null);
            // Resolve goes with the escalation it decided: the notice that says what was done takes the focus.
            notice.show(`${resolving.customer.name}: ${text}`, { takeFocus: true });
            void inbox.reload();
            void overview.reload();
          }} />
      ) : null}
    </div>
  );
}
