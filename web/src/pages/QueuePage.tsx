// Home: the caller's prioritised work, by lane then priority. Filters, search and grouping
// by customer are applied by the server (rows and stats agree). Managers can look at any
// team member's queue.
import { useEffect, useMemo, useRef, useState } from 'react';
import { isManager, useWorkspace } from '../lib/context.ts';
import { navigate, paths, useRevisit } from '../lib/router.ts';
import { possessive } from '../lib/format.ts';
import { useHotkeys } from '../hooks/useHotkeys.ts';
import { useMediaQuery } from '../hooks/useMediaQuery.ts';
import { NARROW_SCREEN } from '../lib/mediaQuery.ts';
import { EmptyState, ErrorState, InlineError, LoadingState } from '../components/States.tsx';
import { ActionNotice, useActionNotice } from '../components/ActionNotice.tsx';
import { SignInAgainButton } from '../components/SignInAgain.tsx';
import { QueueStats } from '../features/queue/QueueStats.tsx';
import { QueueFilters } from '../features/queue/QueueFilters.tsx';
import { QueueTable, type QueueTableHandle } from '../features/queue/QueueTable.tsx';
import { EMPTY_FILTER, isFiltering, toServerFilters, type QueueFilter } from '../features/queue/filterQueue.ts';
import { useQueue } from '../features/queue/useQueue.ts';
import { useTeamMembers } from '../features/queue/useTeamMembers.ts';
import { BulkActions } from '../features/queue/BulkActions.tsx';
import { labelsOf, useWorkflowTypes } from '../features/actions/lookups.ts';
import { canAct } from '../lib/context.ts';
import '../features/queue/bulk.css';
import { DailyBrief } from '../features/brief/DailyBrief.tsx';
import { useFocusFirstNew } from '../hooks/useFocusFirstNew.ts';
import { LANE_LABEL } from '../features/queue/lanes.ts';
import { QueueLane } from '../../../functions-shared/api/index.ts';

export function QueuePage() {
  const { profile } = useWorkspace();
  const manager = isManager(profile);
  const [assigneeId, setAssigneeId] = useState<string | null>(null);
  const [includeSnoozed, setIncludeSnoozed] = useState(false);
  const [filter, setFilter] = useState<QueueFilter>(EMPTY_FILTER);
  const [groupByCustomer, setGroupByCustomer] = useState(false);
  const [activeIndex, setActiveIndex] = useState(0);
  // Ticked rows for the bulk actions (execution ids); cleared, as is the notice, when the list changes.
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const bulkNotice = useActionNotice();
  // The bulk press the session ended part-way: its notice offers Sign in again.
  const [bulkSessionEnded, setBulkSessionEnded] = useState(false);
  const writer = canAct(profile);
  // The search is sent once typing pauses; the selects apply at once.
  const [search, setSearch] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setSearch(filter.search), 250);
    return () => clearTimeout(timer);
  }, [filter.search]);
  const { type, stage, plan, lane } = filter;
  const serverFilters = useMemo(() => toServerFilters({ search, type, stage, plan, lane }), [search, type, stage, plan, lane]);
  const queue = useQueue(assigneeId, includeSnoozed, serverFilters, groupByCustomer);
  // A hand-over's notification clicked while the queue is shown: the work handed over is listed.
  useRevisit(() => void queue.reload());
  const team = useTeamMembers('queue');
  const workflowTypes = useWorkflowTypes().data;
  const typeLabels = useMemo(() => labelsOf(workflowTypes), [workflowTypes]);
  const table = useRef<QueueTableHandle>(null);
  const searchInput = useRef<HTMLInputElement>(null);

  const visible = queue.items;
  const filtering = isFiltering(filter);
  // Another list (filters, person, snoozed, grouping): the ticks and the notice of what was done
  // to the rows before belong to the list it replaced. A reload after an action keeps them.
  const clearNotice = bulkNotice.clear;
  useEffect(() => { setActiveIndex(0); setSelected(new Set()); clearNotice(); }, [serverFilters, assigneeId, includeSnoozed, groupByCustomer, clearNotice]);
  const select = (ids: string[], on: boolean) => setSelected((current) => {
    const next = new Set(current);
    ids.forEach((id) => (on ? next.add(id) : next.delete(id)));
    return next;
  });
  const selectedItems = visible.filter((item) => selected.has(item.execution_id));

  // Load more: the first workflow it brought takes the focus (and the j/k highlight), where the list grew.
  const pressedLoadMore = useFocusFirstNew(visible.length, queue.loadingMore, (index) => { setActiveIndex(index); table.current?.focusRow(index); });

  const move = (delta: number) => {
    if (visible.length === 0) return;
    const next = Math.max(0, Math.min(visible.length - 1, activeIndex + delta));
    setActiveIndex(next);
    table.current?.focusRow(next);
  };
  useHotkeys({
    j: () => move(1),
    k: () => move(-1),
    ArrowDown: (event) => { if ((event.target as HTMLElement).closest?.('.queue-table')) { event.preventDefault(); move(1); } },
    ArrowUp: (event) => { if ((event.target as HTMLElement).closest?.('.queue-table')) { event.preventDefault(); move(-1); } },
    Enter: (event) => {
      // On a focused link Enter already follows it; elsewhere it opens the highlighted row.
      if (event.target instanceof HTMLAnchorElement || event.target instanceof HTMLButtonElement) return;
      const item = visible[activeIndex];
      if (item) navigate(paths.workflow(item.execution_id));
    },
    '/': (event) => { event.preventDefault(); searchInput.current?.focus(); },
  });

  // How the list is drawn: beside the heading, or on a phone behind the Filters button with the filters.
  const narrow = useMediaQuery(NARROW_SCREEN);
  const listOptions = (
    <>
      <label className="check">
        <input type="checkbox" checked={groupByCustomer} onChange={(event) => setGroupByCustomer(event.target.checked)} />
        <span>Group by customer</span>
      </label>
      <label className="check">
        <input type="checkbox" checked={includeSnoozed} onChange={(event) => setIncludeSnoozed(event.target.checked)} />
        <span>Show snoozed</span>
      </label>
    </>
  );

  const viewing = assigneeId ? team.data?.find((member) => member.id === assigneeId)?.full_name ?? 'Team member' : null;

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>{viewing ? `${possessive(viewing)} queue` : 'Your queue'}</h1>
          <p className="muted">Lane first ({QueueLane.options.map((lane) => LANE_LABEL[lane]).join(', ')}), then highest priority.<span className="keyboard-only"> <kbd>j</kbd>/<kbd>k</kbd> to move, <kbd>Enter</kbd> to open, <kbd>/</kbd> to search, <kbd>?</kbd> for all shortcuts.</span></p>
        </div>
        {manager || !narrow ? <div className="page-head-actions">
          {manager ? (
            <label className="field field-inline">
              <span>Queue of</span>
              <select value={assigneeId ?? ''} onChange={(event) => setAssigneeId(event.target.value || null)} disabled={team.loading}>
                <option value="">Me ({profile.full_name})</option>
                {(team.data ?? []).filter((member) => member.id !== profile.id).map((member) => (
                  <option key={member.id} value={member.id}>{member.full_name}</option>
                ))}
              </select>
            </label>
          ) : null}
          {narrow ? null : listOptions}
        </div> : null}
      </div>

      {profile.role === 'csm' && !assigneeId ? <DailyBrief /> : null}
      {queue.stats && !queue.error ? <QueueStats stats={queue.stats} /> : null}
      <QueueFilters filter={filter} onChange={setFilter} searchRef={searchInput}
        optionsOn={narrow ? Number(groupByCustomer) + Number(includeSnoozed) : 0}>
        {narrow ? listOptions : null}
      </QueueFilters>

      {queue.loading ? <LoadingState label="Loading the queue…" rows={8} /> : null}
      {!queue.loading && queue.error ? <ErrorState error={queue.error} title="The queue could not be loaded" onRetry={() => void queue.reload()} /> : null}
      {!queue.loading && !queue.error && queue.items.length === 0 && !filtering ? (
        <EmptyState title={viewing ? `${viewing} has nothing in the queue.` : 'Your queue is clear.'}>
          {manager && !viewing ? 'Use “Queue of” above to look at a team member’s work. ' : ''}New work appears here when renewals come due, reviews are scheduled or a risk is flagged.
        </EmptyState>
      ) : null}
      {!queue.loading && !queue.error && queue.items.length === 0 && filtering ? (
        <EmptyState title="Nothing in the queue matches these filters."
          action={<button type="button" className="btn" onClick={() => setFilter(EMPTY_FILTER)}>Clear filters</button>}>
          The filters and search apply to the whole queue, not only the rows on screen.
        </EmptyState>
      ) : null}
      <ActionNotice notice={bulkNotice} action={bulkSessionEnded ? <SignInAgainButton small /> : null} />
      {writer && selectedItems.length > 0 ? (
        <BulkActions items={selectedItems} onClear={() => setSelected(new Set())}
          // The bar goes with the selection it acted on: the notice that says what was done takes the focus.
          onDone={(message, outcome) => {
            bulkNotice.show(message, { takeFocus: true });
            setBulkSessionEnded(Boolean(outcome.sessionEnded));
            setSelected(new Set());
            void queue.reload();
          }} />
      ) : null}
      {!queue.loading && !queue.error && visible.length > 0 ? (
        <QueueTable ref={table} items={visible} activeIndex={activeIndex} onActivate={setActiveIndex} typeLabels={typeLabels}
          selected={writer ? selected : undefined} onSelect={writer ? select : undefined} />
      ) : null}

      {!queue.loading && !queue.error && queue.items.length > 0 ? (
        <div className="list-foot">
          <span className="muted" aria-live="polite">
            {groupByCustomer
              ? `${queue.items.length} of ${queue.stats?.unique_customers ?? queue.items.length} customers shown${filtering ? ' (filtered)' : ''}`
              : `${queue.items.length} of ${queue.stats?.total ?? queue.items.length} shown${filtering ? ' (filtered)' : ''}`}
          </span>
          {queue.nextCursor ? (
            <button type="button" className="btn" onClick={() => { pressedLoadMore(); void queue.loadMore(); }} disabled={queue.loadingMore}>
              {queue.loadingMore ? 'Loading…' : 'Load more'}
            </button>
          ) : null}
          <InlineError error={queue.moreError} />
        </div>
      ) : null}
    </div>
  );
}
