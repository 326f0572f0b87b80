// One escalation in the manager's inbox (the team page): the customer and workflow, the
// reason, who is waiting and for how long, to whom it went (the level by its name), Resolve.
import { Link } from '../../components/Link.tsx';
import { paths } from '../../lib/router.ts';
import type { EscalationItem } from './types.ts';
import { useLevelName } from './levelNames.ts';

function age(item: EscalationItem): string {
  if (item.age_days >= 1) return `${item.age_days} day${item.age_days === 1 ? '' : 's'}`;
  return item.age_hours >= 1 ? `${item.age_hours} h` : 'just now';
}

export function EscalationInboxItem({ item, onResolve }: { item: EscalationItem; onResolve: (item: EscalationItem) => void }) {
  const levelName = useLevelName();
  return (
    <li className="esc-item">
      <div className="esc-item-main">
        <p><Link href={paths.workflow(item.execution_id)} className="row-link">{item.customer.name}</Link> <span className="muted">· {item.workflow.name}</span></p>
        <p className="small">“{item.reason}”</p>
        <p className="small muted">{item.assignee?.full_name ?? 'Unassigned'} · waiting {age(item)}{item.level !== 'manager' ? ` · to ${levelName(item.level)}` : ''}{item.is_mine ? ' · to you' : ''}</p>
      </div>
      <button type="button" className="btn btn-small btn-primary" onClick={() => onResolve(item)} aria-label={`Resolve the escalation of ${item.customer.name}`}>Resolve</button>
    </li>
  );
}
