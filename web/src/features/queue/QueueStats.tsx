// The numbers across the top of the queue, over the whole queue (not just the page).
import { RenewalStage } from '../../../../functions-shared/api/index.ts';
import type { QueueStats as Stats } from '../../lib/types.ts';
import { formatRange, formatWhole } from '../../lib/format.ts';
import { URGENT_RENEWAL } from './lanes.ts';
import { Toggletip } from '../../components/Toggletip.tsx';

/** The renewal stages, most urgent first (the API's enum). */
const STAGE_ORDER: readonly string[] = RenewalStage.options;

export function QueueStats({ stats }: { stats: Stats }) {
  const stages = Object.entries(stats.by_stage ?? {})
    .filter(([, count]) => count > 0)
    .sort(([a], [b]) => STAGE_ORDER.indexOf(a) - STAGE_ORDER.indexOf(b));
  // Workflows on customers in those stages: counted by the decision date (the notice deadline,
  // else the renewal date), not the renewal date, and overdue ones included.
  const urgent = (stats.by_stage?.Overdue ?? 0) + (stats.by_stage?.Emergency ?? 0) + (stats.by_stage?.Critical ?? 0);
  const range = stats.priority_range;
  return (
    <section className="stats" aria-label="Queue summary">
      <div className="stat"><span className="stat-value">{stats.total}</span><span className="stat-label">In queue</span></div>
      <div className="stat"><span className="stat-value">{stats.unique_customers}</span><span className="stat-label">Customers</span></div>
      <div className="stat"><span className={`stat-value${urgent > 0 ? ' stat-urgent' : ''}`}>{urgent}</span><span className="stat-label">{URGENT_RENEWAL}{' '}
        <Toggletip label="About this number">Workflows on customers in the renewal stages Overdue, Emergency and Critical: the decision date, the notice deadline where the contract has one, is past or less than 14 days away.</Toggletip></span></div>
      <div className="stat">
        <span className="stat-value">{stats.avg_priority === null || stats.avg_priority === undefined ? '—' : formatWhole(stats.avg_priority)}</span>
        <span className="stat-label">Average priority{range && range.min !== null && range.max !== null ? ` (${formatRange(range.min, range.max)})` : ''}</span>
      </div>
      {stages.length > 0 ? (
        <div className="stat stat-wide">
          <span className="stat-label">By renewal stage</span>
          <ul className="stage-bar" aria-label="Workflows by renewal stage">
            {stages.map(([stage, count]) => (
              <li key={stage} className={`stage-seg stage-${stage.toLowerCase()}`} style={{ flexGrow: count }}>
                <span className="visually-hidden">{stage}: {count}</span>
              </li>
            ))}
          </ul>
          <span className="stage-legend">{stages.map(([stage, count]) => `${stage} ${count}`).join(' · ')}</span>
        </div>
      ) : null}
    </section>
  );
}
