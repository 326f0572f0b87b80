// Home: the caller's prioritised work. Managers can look at any team member's queue.
import { useEffect, useMemo, useRef, useState } from 'react';
import { isManager, useWorkspace } from '../lib/context.ts';
import { navigate, paths } from '../lib/router.ts';
import { useHotkeys } from '../hooks/useHotkeys.ts';
import { EmptyState, ErrorState, InlineError, LoadingState } from '../components/States.tsx';
import { QueueStats } from '../features/queue/QueueStats.tsx';
import { QueueFilters } from '../features/queue/QueueFilters.tsx';
import { QueueTable, type QueueTableHandle } from '../features/queue/QueueTable.tsx';
import { EMPTY_FILTER, filterQueue, isFiltering, type QueueFilter } from '../features/queue/filterQueue.ts';
import { useQueue } from '../features/queue/useQueue.ts';
import { useTeamMembers } from '../features/queue/useTeamMembers.ts';

export function QueuePage() {
  const { profile } = useWorkspace();
  const manager = isManager(profile);
  const [assigneeId, setAssigneeId] = useState<string | null>(null);
  const [includeSnoozed, setIncludeSnoozed] = useState(false);
  const [filter, setFilter] = useState<QueueFilter>(EMPTY_FILTER);
  const [activeIndex, setActiveIndex] = useState(0);
  const queue = useQueue(assigneeId, includeSnoozed);
  const team = useTeamMembers('queue');
  const table = useRef<QueueTableHandle>(null);
  const search = useRef<HTMLInputElement>(null);

  const visible = useMemo(() => filterQueue(queue.items, filter), [queue.items, filter]);
  useEffect(() => { setActiveIndex(0); }, [filter, assigneeId, includeSnoozed]);

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
    '/': (event) => { event.preventDefault(); search.current?.focus(); },
  });

  const viewing = assigneeId ? team.data?.find((member) => member.id === assigneeId)?.full_name ?? 'Team member' : null;

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>{viewing ? `${viewing}’s queue` : 'Your queue'}</h1>
          <p className="muted">Highest priority first. <kbd>j</kbd>/<kbd>k</kbd> to move, <kbd>Enter</kbd> to open, <kbd>/</kbd> to search, <kbd>?</kbd> for all shortcuts.</p>
        </div>
        <div className="page-head-actions">
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
          <label className="check">
            <input type="checkbox" checked={includeSnoozed} onChange={(event) => setIncludeSnoozed(event.target.checked)} />
            <span>Show snoozed</span>
          </label>
        </div>
      </div>

      {queue.stats && !queue.error ? <QueueStats stats={queue.stats} /> : null}
      <QueueFilters filter={filter} onChange={setFilter} searchRef={search} />

      {queue.loading ? <LoadingState label="Loading the queue…" rows={8} /> : null}
      {!queue.loading && queue.error ? <ErrorState error={queue.error} title="The queue could not be loaded" onRetry={() => void queue.reload()} /> : null}
      {!queue.loading && !queue.error && queue.items.length === 0 ? (
        <EmptyState title={viewing ? `${viewing} has nothing in the queue.` : 'Your queue is clear.'}>
          {manager && !viewing ? 'Use “Queue of” above to look at a team member’s work. ' : ''}New work appears here when renewals come due, reviews are scheduled or a risk is flagged.
        </EmptyState>
      ) : null}
      {!queue.loading && !queue.error && queue.items.length > 0 && visible.length === 0 ? (
        <EmptyState title="Nothing loaded matches these filters."
          action={<button type="button" className="btn" onClick={() => setFilter(EMPTY_FILTER)}>Clear filters</button>}>
          {queue.nextCursor ? 'More of the queue is not loaded yet; load more to search it too.' : null}
        </EmptyState>
      ) : null}
      {!queue.loading && !queue.error && visible.length > 0 ? (
        <QueueTable ref={table} items={visible} activeIndex={activeIndex} onActivate={setActiveIndex} />
      ) : null}

      {!queue.loading && !queue.error && queue.items.length > 0 ? (
        <div className="list-foot">
          <span className="muted" aria-live="polite">
            {isFiltering(filter) ? `${visible.length} of ${queue.items.length} loaded match` : `${queue.items.length} of ${queue.stats?.total ?? queue.items.length} shown`}
          </span>
          {queue.nextCursor ? (
            <button type="button" className="btn" onClick={() => void queue.loadMore()} disabled={queue.loadingMore}>
              {queue.loadingMore ? 'Loading…' : 'Load more'}
            </button>
          ) : null}
          <InlineError error={queue.moreError} />
        </div>
      ) : null}
    </div>
  );
}
