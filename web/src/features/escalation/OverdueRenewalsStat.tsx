// The team page's overdue-renewals figure, counted as the list of this quarter's renewals
// below it shows them, with how many of those nobody has an open workflow for (30 days past
// its decision a renewal leaves the queues).
import type { TeamOverview } from './types.ts';

export function OverdueRenewalsStat({ renewals }: { renewals: Pick<TeamOverview['renewals'], 'overdue' | 'overdue_without_work'> }) {
  const { overdue, overdue_without_work: withoutWork } = renewals;
  return (
    <div className="stat">
      <span className={`stat-value${overdue > 0 ? ' stat-urgent' : ''}`}>{overdue}</span>
      <span className="stat-label">
        {overdue === 1 ? 'overdue renewal' : 'overdue renewals'} this quarter
        {withoutWork > 0 ? <> · <strong>{withoutWork} with no open workflow</strong></> : null}
      </span>
    </div>
  );
}
