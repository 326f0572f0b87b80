// One escalation in the manager's inbox (the team page): the customer and workflow, the
// reason, who is waiting and for how long, to whom it went (the level by its name), Resolve.
import { Link } from '../../components/Link.tsx';
import { paths } from '../../lib/router.ts';
import type { EscalationItem } from './types.ts';
import { useLevelName } from './levelNames.ts';
import { UNASSIGNED } from '../../lib/people.ts';
import { formatElapsed } from '../../lib/format.ts';

/** How long it has waited (after "waiting"), from when it was escalated: the bell's words for the same moment ("21 min", "21 min ago"). */
export function waitingFor(escalatedAt: string, now: Date = new Date()): string {
  return formatElapsed(escalatedAt, now);
}

export function EscalationInboxItem({ item, onResolve }: { item: EscalationItem; onResolve: (item: EscalationItem) => void }) {
  const levelName = useLevelName();
  return (
    <li className="esc-item">
      <div className="esc-item-main">
        <p><Link href={paths.workflow(item.execution_id)} className="row-link">{item.customer.name}</Link> <span className="muted">· {item.workflow.name}</span></p>
        <p className="small">“{item.reason}”</p>
        <p className="small muted">{item.assignee?.full_name ?? UNASSIGNED} · waiting {waitingFor(item.escalated_at)}{item.level !== 'manager' ? ` · to ${levelName(item.level)}` : ''}{item.is_mine ? ' · to you' : ''}</p>
      </div>
      <button type="button" className="btn btn-small btn-primary" onClick={() => onResolve(item)} aria-label={`Resolve the escalation of ${item.customer.name}`}>Resolve</button>
    </li>
  );
}
