// The organisation's customers: search, filters (plan, stage, CSM), sort, and keyset
// "load more" (or keep scrolling: the next page loads when the end of the list comes into
// view). Every member reads every customer of the organisation.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useWorkspace } from '../lib/context.ts';
import { humanize } from '../lib/format.ts';
import { EmptyState, ErrorState, InlineError, LoadingState } from '../components/States.tsx';
import { CUSTOMER_SORTS, PLANS, STAGES, type CustomerFilters, type CustomerSort } from '../features/customers/api.ts';
import { CustomerTable, type CustomerTableHandle } from '../features/customers/CustomerTable.tsx';
import { useFocusFirstNew } from '../hooks/useFocusFirstNew.ts';
import { useCustomerList } from '../features/customers/useCustomerList.ts';
import { useTeamMembers } from '../features/queue/useTeamMembers.ts';
import '../features/customers/customers.css';

// The forecast category of the customer's open renewal.
const FORECASTS = [['commit', 'Commit'], ['probable', 'Probable'], ['at_risk', 'At risk'], ['churn_expected', 'Churn expected']] as const;

export function CustomersPage() {
  const { profile } = useWorkspace();
  const [text, setText] = useState('');
  const [search, setSearch] = useState('');
  const [plan, setPlan] = useState('');
  const [stage, setStage] = useState('');
  const [assignee, setAssignee] = useState('');
  const [forecast, setForecast] = useState('');
  const [sort, setSort] = useState<CustomerSort>('priority');
  const team = useTeamMembers('reassign');
  useEffect(() => {
    const timer = setTimeout(() => setSearch(text.trim()), 250);
    return () => clearTimeout(timer);
  }, [text]);
  const filters = useMemo<CustomerFilters>(() => ({
    ...(plan ? { plans: [plan] } : {}),
    ...(stage ? { stages: [stage] } : {}),
    ...(assignee ? { assignee_id: assignee } : {}),
    ...(forecast ? { forecast: [forecast] } : {}),
  }), [plan, stage, assignee, forecast]);
  const list = useCustomerList(search, filters, sort);
  const table = useRef<CustomerTableHandle>(null);
  const pressedLoadMore = useFocusFirstNew(list.items.length, list.loadingMore, (index) => table.current?.focusRow(index));
  const filtering = Boolean(search || plan || stage || assignee || forecast);

  // Keep scrolling: the next page loads when the list's end comes into view.
  const end = useRef<HTMLDivElement>(null);
  const { nextCursor, loadingMore, loadMore } = list;
  useEffect(() => {
    const node = end.current;
    if (!node || !nextCursor || typeof IntersectionObserver === 'undefined') return undefined;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting) && !loadingMore) void loadMore();
    }, { rootMargin: '200px' });
    observer.observe(node);
    return () => observer.disconnect();
  }, [nextCursor, loadingMore, loadMore]);

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Customers</h1>
          <p className="muted">Every customer of {profile.org_name}. Open one for its timeline, workflows, tasks and contracts.</p>
        </div>
      </div>
      <div className="toolbar" role="search">
        <label className="field field-inline field-grow">
          <span className="visually-hidden">Search customers</span>
          <input type="search" placeholder="Search by name, domain or CRM id" value={text} onChange={(event) => setText(event.target.value)} />
        </label>
        <label className="field field-inline">
          <span>Stage</span>
          <select value={stage} onChange={(event) => setStage(event.target.value)}>
            <option value="">All</option>
            {STAGES.map((entry) => <option key={entry} value={entry}>{entry}</option>)}
          </select>
        </label>
        <label className="field field-inline">
          <span>Plan</span>
          <select value={plan} onChange={(event) => setPlan(event.target.value)}>
            <option value="">All</option>
            {PLANS.map((entry) => <option key={entry} value={entry}>{humanize(entry)}</option>)}
          </select>
        </label>
        <label className="field field-inline">
          <span>Forecast</span>
          <select value={forecast} onChange={(event) => setForecast(event.target.value)}>
            <option value="">Any</option>
            {FORECASTS.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
          </select>
        </label>
        <label className="field field-inline">
          <span>CSM</span>
          <select value={assignee} onChange={(event) => setAssignee(event.target.value)}>
            <option value="">Anyone</option>
            {profile.role !== 'viewer' ? <option value={profile.id}>Me</option> : null}
            {(team.data ?? []).filter((member) => member.id !== profile.id).map((member) => <option key={member.id} value={member.id}>{member.full_name}</option>)}
          </select>
        </label>
        <label className="field field-inline">
          <span>Sort</span>
          <select value={sort} onChange={(event) => setSort(event.target.value as CustomerSort)}>
            {CUSTOMER_SORTS.map((entry) => <option key={entry.key} value={entry.key}>{entry.label}</option>)}
          </select>
        </label>
      </div>

      {list.loading ? <LoadingState label="Loading customers…" rows={8} /> : null}
      {!list.loading && list.error && list.items.length === 0 ? <ErrorState error={list.error} title="Customers could not be loaded" onRetry={() => void list.reload()} /> : null}
      {!list.loading && !list.error && list.items.length === 0 ? (
        <EmptyState title={filtering ? 'No customer matches.' : 'No customers yet.'}>
          {filtering ? 'Change the search or the filters.' : 'Customers arrive from your CRM through the ingest, or an admin adds them.'}
        </EmptyState>
      ) : null}
      {!list.loading && list.items.length > 0 ? (
        <>
          <CustomerTable ref={table} customers={list.items} caption="Customers in the chosen order" />
          <div className="list-foot" ref={end}>
            <span className="muted" aria-live="polite">{list.items.length} customers shown{list.nextCursor ? '' : ' (all)'}</span>
            {list.nextCursor ? (
              <button type="button" className="btn" onClick={() => { pressedLoadMore(); void list.loadMore(); }} disabled={list.loadingMore}>
                {list.loadingMore ? 'Loading…' : 'Load more'}
              </button>
            ) : null}
          </div>
          {list.items.length > 0 ? <InlineError error={list.error} /> : null}
        </>
      ) : null}
    </div>
  );
}
