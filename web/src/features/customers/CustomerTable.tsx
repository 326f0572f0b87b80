// Customers as a table: name (links to the customer page), stage, plan, health, ARR,
// renewal with its notice deadline, and the CSM. Where it does not fit (a phone) its rows
// stack as cards, every cell kept (components/TableScroller.tsx).
import { forwardRef, useImperativeHandle, useRef } from 'react';
import type { CustomerRow } from './api.ts';
import { formatMoney } from '../../lib/format.ts';
import { paths } from '../../lib/router.ts';
import { Link } from '../../components/Link.tsx';
import { PlanBadge, StageBadge } from '../../components/Badges.tsx';
import { RenewalDate } from '../../components/RenewalDate.tsx';
import { TableScroller } from '../../components/TableScroller.tsx';
import { UNASSIGNED } from '../../lib/people.ts';

export interface CustomerTableHandle {
  /** Puts the focus on a row's customer link (the first a "Load more" brought). */
  focusRow: (index: number) => void;
}

export const CustomerTable = forwardRef<CustomerTableHandle, { customers: CustomerRow[]; caption: string; showAssignee?: boolean }>(function CustomerTable({ customers, caption, showAssignee = true }, ref) {
  const links = useRef<(HTMLAnchorElement | null)[]>([]);
  useImperativeHandle(ref, () => ({ focusRow: (index: number) => links.current[index]?.focus() }), []);
  return (
    <TableScroller label={caption}>
      <table className="queue-table customer-table" role="table">
        <caption className="visually-hidden">{caption}</caption>
        <thead role="rowgroup">
          <tr role="row">
            <th role="columnheader" scope="col" className="col-key">Customer</th>
            <th role="columnheader" scope="col" className="col-stage">Stage</th>
            <th role="columnheader" scope="col" className="col-plan">Plan</th>
            <th role="columnheader" scope="col" className="num col-health">Health</th>
            <th role="columnheader" scope="col" className="num col-arr">ARR</th>
            <th role="columnheader" scope="col" className="col-renewal">Renewal</th>
            {showAssignee ? <th role="columnheader" scope="col" className="col-csm">CSM</th> : null}
          </tr>
        </thead>
        <tbody role="rowgroup">
          {customers.map((customer, index) => (
            <tr role="row" key={customer.id} data-testid="customer-row">
              <td role="cell" className="col-key">
                <Link href={paths.customer(customer.id)} className="row-link customer-link" ref={(node: HTMLAnchorElement | null) => { links.current[index] = node; }}>{customer.name}</Link>
                {customer.domain ? <div className="sub">{customer.domain}</div> : null}
              </td>
              <td role="cell" className="col-stage"><StageBadge stage={customer.renewal_stage} /></td>
              <td role="cell" className="col-plan"><PlanBadge plan={customer.account_plan} /></td>
              <td role="cell" className={`num col-health${customer.health_score !== null && customer.health_score < 50 ? ' text-urgent' : ''}`}>{customer.health_score ?? '—'}</td>
              <td role="cell" className="num col-arr">{formatMoney(customer.arr)}</td>
              <td role="cell" className="col-renewal small">
                <RenewalDate renewalDate={customer.renewal_date} decisionDate={customer.decision_date}
                  daysUntilRenewal={customer.days_until_renewal} daysUntilDecision={customer.days_until_decision} />
              </td>
              {showAssignee ? <td role="cell" className="col-csm">{customer.assignee?.full_name ?? <span className="muted">{UNASSIGNED}</span>}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroller>
  );
});
