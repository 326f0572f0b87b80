// A viewer's home: the organisation's renewals coming up (decision date first, with the
// notice deadline) and its customers by priority, read-only, each linking to its page.
import { useMemo } from 'react';
import { useWorkspace } from '../lib/context.ts';
import { paths } from '../lib/router.ts';
import { Link } from '../components/Link.tsx';
import { ErrorState, LoadingState } from '../components/States.tsx';
import { CustomerTable } from '../features/customers/CustomerTable.tsx';
import { useCustomerList } from '../features/customers/useCustomerList.ts';
import type { CustomerFilters } from '../features/customers/api.ts';
import '../features/customers/customers.css';

const UPCOMING: CustomerFilters = { stages: ['Overdue', 'Emergency', 'Critical', 'Signature', 'Finalize', 'Negotiate'] };
const NONE: CustomerFilters = {};

export function ViewerHome() {
  const { profile } = useWorkspace();
  const renewals = useCustomerList('', UPCOMING, 'renewal', 15);
  const customers = useCustomerList('', NONE, 'priority', 15);
  const sections = useMemo(() => [
    { id: 'renewals', title: 'Renewals overdue or due in the next 90 days', hint: 'By decision date, the most overdue first: the notice deadline when a contract renews automatically.', list: renewals, empty: 'No renewal is overdue or due in the next 90 days.' },
    { id: 'customers', title: 'Customers by priority', hint: 'Most urgent renewal first, then the largest accounts.', list: customers, empty: 'No customers yet.' },
  ], [renewals, customers]);
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>{profile.org_name}</h1>
          <p className="muted">You can read everything here; changes are made by the CSMs and managers.</p>
        </div>
        <Link href={paths.customers} className="btn">All customers</Link>
      </div>
      <div className="home-grid">
        {sections.map((section) => (
          <section key={section.id} aria-labelledby={`home-${section.id}`}>
            <h2 id={`home-${section.id}`}>{section.title}</h2>
            <p className="muted small">{section.hint}</p>
            {section.list.loading ? <LoadingState label="Loading…" rows={5} /> : null}
            {!section.list.loading && section.list.error ? <ErrorState error={section.list.error} onRetry={() => void section.list.reload()} /> : null}
            {!section.list.loading && !section.list.error && section.list.items.length === 0 ? <p className="muted">{section.empty}</p> : null}
            {!section.list.loading && section.list.items.length > 0 ? (
              <CustomerTable customers={section.list.items} caption={section.title} showAssignee={section.id === 'renewals'} />
            ) : null}
          </section>
        ))}
      </div>
    </div>
  );
}
