// The queue itself: one row per workflow, the customer name links to the workflow.
// j / k move the highlighted row (and focus its link), Enter opens it.
import { forwardRef, useImperativeHandle, useRef } from 'react';
import type { QueueItem } from '../../lib/types.ts';
import { formatDaysUntil, formatMoney } from '../../lib/format.ts';
import { navigate, paths } from '../../lib/router.ts';
import { Link } from '../../components/Link.tsx';
import { PlanBadge, StageBadge, StatusBadge } from '../../components/Badges.tsx';
import { PriorityScore } from './PriorityScore.tsx';

export interface QueueTableHandle {
  focusRow: (index: number) => void;
}

interface Props {
  items: QueueItem[];
  activeIndex: number;
  onActivate: (index: number) => void;
}

export const QueueTable = forwardRef<QueueTableHandle, Props>(function QueueTable({ items, activeIndex, onActivate }, ref) {
  const links = useRef<(HTMLAnchorElement | null)[]>([]);
  useImperativeHandle(ref, () => ({
    focusRow: (index: number) => links.current[index]?.focus(),
  }), []);

  return (
    <div className="table-wrap">
      <table className="queue-table">
        <caption className="visually-hidden">Workflows in priority order. Use j and k to move, Enter to open.</caption>
        <thead>
          <tr>
            <th scope="col" className="col-priority">Priority</th>
            <th scope="col">Customer</th>
            <th scope="col">Workflow</th>
            <th scope="col">Stage</th>
            <th scope="col" className="col-plan">Plan</th>
            <th scope="col" className="num">ARR</th>
            <th scope="col" className="num">Renewal</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item, index) => {
            const days = item.customer.days_until_renewal;
            return (
              <tr key={item.execution_id} className={index === activeIndex ? 'row-active' : undefined}
                data-testid="queue-row"
                // The whole row opens the workflow for a mouse; keyboard users have the link.
                onClick={(event) => { if (!(event.target as HTMLElement).closest('a, button')) navigate(paths.workflow(item.execution_id)); }}>
                <td className="col-priority"><PriorityScore score={item.priority_score} factors={item.priority_factors} /></td>
                <td>
                  <Link href={paths.workflow(item.execution_id)} className="row-link"
                    ref={(node: HTMLAnchorElement | null) => { links.current[index] = node; }}
                    onFocus={() => onActivate(index)}>
                    {item.customer.name}
                  </Link>
                  {item.customer.domain ? <div className="sub">{item.customer.domain}</div> : null}
                </td>
                <td>
                  <div>{item.workflow_name}</div>
                  <div className="sub">
                    {item.status !== 'queued' ? <StatusBadge status={item.status} /> : null}
                    {item.current_step ? `Step ${item.current_step.index + 1} of ${item.total_steps}: ${item.current_step.title}` : `${item.completed_steps} of ${item.total_steps} steps done`}
                  </div>
                </td>
                <td><StageBadge stage={item.customer.renewal_stage} /></td>
                <td className="col-plan"><PlanBadge plan={item.customer.account_plan} /></td>
                <td className="num">{formatMoney(item.customer.arr)}</td>
                <td className={`num${days !== null && days < 14 ? ' text-urgent' : ''}`}>{formatDaysUntil(days)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
});
