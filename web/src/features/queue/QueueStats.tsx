// The numbers across the top of the queue, over the whole queue (not just the page). On a
// phone the tiles took 340 px above the first row: there they fold to one line of the counts
// that decide the morning, which opens (a <details>) on the rest, what urgent counts beside it.
import { RenewalStage } from '../../../../functions-shared/api/index.ts';
import type { QueueStats as Stats } from '../../lib/types.ts';
import { formatRange, formatWhole } from '../../lib/format.ts';
import { NARROW_SCREEN } from '../../lib/mediaQuery.ts';
import { useMediaQuery } from '../../hooks/useMediaQuery.ts';
import { URGENT_RENEWAL } from './lanes.ts';
import { Toggletip } from '../../components/Toggletip.tsx';

/** The renewal stages, most urgent first (the API's enum). */
const STAGE_ORDER: readonly string[] = RenewalStage.options;
/** The stages the urgent number counts, and why: said beside the tile, or under the phone's line. */
const URGENT_STAGES = ['Overdue', 'Emergency', 'Critical'] as const;
const URGENT_MEANING = 'Workflows on customers in the renewal stages Overdue, Emergency and Critical: the decision date, the notice deadline where the contract has one, is past or less than 14 days away.';

/** What both layouts show, computed once. */
function summarise(stats: Stats) {
  const stages = Object.entries(stats.by_stage ?? {})
    .filter(([, count]) => count > 0)
    .sort(([a], [b]) => STAGE_ORDER.indexOf(a) - STAGE_ORDER.indexOf(b));
  // Workflows on customers in those stages: counted by the decision date (the notice deadline,
  // else the renewal date), not the renewal date, and overdue ones included.
  const urgent = URGENT_STAGES.reduce((sum, stage) => sum + (stats.by_stage?.[stage] ?? 0), 0);
  const range = stats.priority_range;
  const average = stats.avg_priority === null || stats.avg_priority === undefined ? '—' : formatWhole(stats.avg_priority);
  const averageLabel = `Average priority${range && range.min !== null && range.max !== null ? ` (${formatRange(range.min, range.max)})` : ''}`;
  return { stages, urgent, average, averageLabel };
}

function StageBreakdown({ stages }: { stages: [string, number][] }) {
  return (
    <>
      <ul className="stage-bar" aria-label="Workflows by renewal stage">
        {stages.map(([stage, count]) => (
          <li key={stage} className={`stage-seg stage-${stage.toLowerCase()}`} style={{ flexGrow: count }}>
            <span className="visually-hidden">{stage}: {count}</span>
          </li>
        ))}
      </ul>
      <span className="stage-legend">{stages.map(([stage, count]) => `${stage} ${count}`).join(' · ')}</span>
    </>
  );
}

export function QueueStats({ stats }: { stats: Stats }) {
  const narrow = useMediaQuery(NARROW_SCREEN);
  return narrow ? <StatsLine stats={stats} /> : <StatsTiles stats={stats} />;
}

/** A phone: "47 in queue · 16 customers · 12 urgent", what urgent counts a press away, the rest a tap away. */
function StatsLine({ stats }: { stats: Stats }) {
  const { stages, urgent, average, averageLabel } = summarise(stats);
  return (
    <section className="stats-line" aria-label="Queue summary">
      <details>
        <summary>
          <span><strong>{stats.total}</strong> in queue</span> · <span><strong>{stats.unique_customers}</strong> customers</span> ·{' '}
          <span><strong className={urgent > 0 ? 'stat-urgent' : undefined}>{urgent}</strong> urgent</span>
        </summary>
        <div className="stats-line-more">
          <p>{averageLabel}: <strong>{average}</strong></p>
          {stages.length > 0 ? <div className="stats-line-stages"><span className="stat-label">By renewal stage</span><StageBreakdown stages={stages} /></div> : null}
        </div>
      </details>
      {/* Beside the line, not in it: a button inside a summary would fold the line too. */}
      <Toggletip label="About the urgent number">Urgent: {URGENT_RENEWAL.toLowerCase()}. {URGENT_MEANING}</Toggletip>
    </section>
  );
}

function StatsTiles({ stats }: { stats: Stats }) {
  const { stages, urgent, average, averageLabel } = summarise(stats);
  return (
    <section className="stats" aria-label="Queue summary">
      <div className="stat"><span className="stat-value">{stats.total}</span><span className="stat-label">In queue</span></div>
      <div className="stat"><span className="stat-value">{stats.unique_customers}</span><span className="stat-label">Customers</span></div>
      <div className="stat"><span className={`stat-value${urgent > 0 ? ' stat-urgent' : ''}`}>{urgent}</span><span className="stat-label">{URGENT_RENEWAL}{' '}
        <Toggletip label="About this number">{URGENT_MEANING}</Toggletip></span></div>
      <div className="stat">
        <span className="stat-value">{average}</span>
        <span className="stat-label">{averageLabel}</span>
      </div>
      {stages.length > 0 ? (
        <div className="stat stat-wide">
          <span className="stat-label">By renewal stage</span>
          <StageBreakdown stages={stages} />
        </div>
      ) : null}
    </section>
  );
}
