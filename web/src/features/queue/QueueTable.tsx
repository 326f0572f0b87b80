// The queue itself: one row per workflow (or per customer when grouped), in lane order;
// the workflow name links to the workflow, the customer name to the customer's page. With
// `selected`, each row has a checkbox for the bulk actions.
// j / k move the highlighted row (and focus its link), Enter opens it.
import { forwardRef, useImperativeHandle, useRef } from 'react';
import type { QueueItem } from '../../lib/types.ts';
import { formatDate, formatDaysUntil, formatMoney } from '../../lib/format.ts';
import { navigate, paths } from '../../lib/router.ts';
import { Link } from '../../components/Link.tsx';
import { Badge, PlanBadge, StageBadge, StatusBadge } from '../../components/Badges.tsx';
import { PriorityScore } from './PriorityScore.tsx';
import { LANE_LABEL, LANE_MEANING, LANE_TONE, QUEUE_LANES } from './lanes.ts';
import { RenewalDate } from '../../components/RenewalDate.tsx';
import { TableScroller } from '../../components/TableScroller.tsx';
import { Toggletip } from '../../components/Toggletip.tsx';

export interface QueueTableHandle {
  focusRow: (index: number) => void;
}

interface Props {
  items: QueueItem[];
  activeIndex: number;
  onActivate: (index: number) => void;
  /** Execution ids ticked for a bulk action; no checkboxes when absent. */
  selected?: ReadonlySet<string>;
  onSelect?: (executionIds: string[], on: boolean) => void;
  /** Workflow type → its label (the lookup, list_workflow_types); a type not in it shows its key. */
  typeLabels?: Readonly<Record<string, string>>;
}

export const QueueTable = forwardRef<QueueTableHandle, Props>(function QueueTable({ items, activeIndex, onActivate, selected, onSelect, typeLabels = {} }, ref) {
  const links = useRef<(HTMLAnchorElement | null)[]>([]);
  useImperativeHandle(ref, () => ({
    focusRow: (index: number) => links.current[index]?.focus(),
  }), []);

  return (
    <>
    <QueueOrder />
    <TableScroller label="Workflows in the queue" compact>
      <table className="queue-table">
        <caption className="visually-hidden">Workflows by lane, then priority. Use j and k to move, Enter to open.</caption>
        <thead>
          <tr>
            {selected && onSelect ? (
              <th scope="col" className="col-select">
                <label className="select-target">
                  <input type="checkbox" aria-label="Select every row shown"
                    checked={items.length > 0 && items.every((item) => selected.has(item.execution_id))}
                    onChange={(event) => onSelect(items.map((item) => item.execution_id), event.target.checked)} />
                </label>
              </th>
            ) : null}
            <th scope="col" className="col-lane">Lane</th>
            <th scope="col" className="col-priority">Priority</th>
            <th scope="col" className="col-key">Customer</th>
            <th scope="col" className="col-line">Workflow</th>
            <th scope="col" className="col-stage">Stage</th>
            <th scope="col" className="col-plan">Plan</th>
            <th scope="col" className="num col-arr">ARR</th>
            <th scope="col" className="num col-decision">Decision due</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item, index) => {
            const days = item.customer.days_until_decision ?? item.customer.days_until_renewal;
            const others = item.other_items;
            return (
              <tr key={item.execution_id} className={index === activeIndex ? 'row-active' : undefined}
                data-testid="queue-row"
                // The whole row opens the workflow for a mouse; keyboard users have the link.
                onClick={(event) => { if (!(event.target as HTMLElement).closest('a, button, input, label, .col-select')) navigate(paths.workflow(item.execution_id)); }}>
                {selected && onSelect ? (
                  <td className="col-select">
                    <label className="select-target">
                      <input type="checkbox" aria-label={`Select ${item.customer.name}: ${item.workflow_name}`} checked={selected.has(item.execution_id)}
                        onChange={(event) => onSelect([item.execution_id], event.target.checked)} />
                    </label>
                  </td>
                ) : null}
                <td className="col-lane"><Badge tone={LANE_TONE[item.lane] ?? 'neutral'}>{LANE_LABEL[item.lane] ?? item.lane}</Badge></td>
                <td className="col-priority"><PriorityScore score={item.priority_score} factors={item.priority_factors} typeLabels={typeLabels} /></td>
                <td className="col-key">
                  <Link href={paths.customer(item.customer.id)} className="customer-link">{item.customer.name}</Link>
                  {item.customer.domain ? <div className="sub">{item.customer.domain}</div> : null}
                </td>
                <td className="col-line">
                  <Link href={paths.workflow(item.execution_id)} className="row-link"
                    ref={(node: HTMLAnchorElement | null) => { links.current[index] = node; }}
                    onFocus={() => onActivate(index)}>
                    {item.workflow_name}
                  </Link>
                  {others && others.count > 0 ? (
                    <div className="sub" data-testid="other-items">+{others.count} more: {others.kinds.map((kind) => typeLabels[kind] ?? kind).join(', ')}</div>
                  ) : null}
                  <div className="sub">
                    {item.status !== 'queued' ? <StatusBadge status={item.status} /> : null}
                    {/* Until when it sleeps, as a snoozed task says it (Show snoozed lists these rows). */}
                    {item.status === 'snoozed' && item.snoozed_until ? <> until {formatDate(item.snoozed_until)} · </> : null}
                    {item.current_step ? `Step ${item.current_step.index + 1} of ${item.total_steps}: ${item.current_step.title}` : `${item.completed_steps} of ${item.total_steps} steps done`}
                  </div>
                </td>
                <td className="col-stage"><StageBadge stage={item.customer.renewal_stage} /></td>
                <td className="col-plan"><PlanBadge plan={item.customer.account_plan} /></td>
                <td className="num col-arr">{formatMoney(item.customer.arr)}</td>
                <td className={`num col-decision${days !== null && days !== undefined && days < 14 ? ' text-urgent' : ''}`}>
                  {formatDaysUntil(days)}
                  {item.customer.renewal_date ? (
                    <div className="sub"><RenewalDate renewalDate={item.customer.renewal_date} decisionDate={item.customer.decision_date} /></div>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroller>
    </>
  );
});

/** The queue's order in words, with what each lane and the decision date mean a tap away (a hover tooltip on each badge and header before). */
export function QueueOrder() {
  return (
    <p className="table-note">
      By lane, then priority{' '}
      <Toggletip label="About the lanes and the decision date">
        <dl>
          {QUEUE_LANES.map((lane) => <div key={lane}><dt>{LANE_LABEL[lane]}</dt><dd>{LANE_MEANING[lane]}</dd></div>)}
          <div><dt>Decision due</dt><dd>Days until the renewal decision: the notice deadline when the contract renews automatically, else the renewal date.</dd></div>
        </dl>
      </Toggletip>
    </p>
  );
}
