// What a manager decided on the workflow's last escalation, kept on the workflow once the hold
// is over: their guidance when they returned it (or their note when they reassigned or closed
// it), beside what was asked. The decision also goes out as a notification, which is read once
// and leaves the bell after twenty more; the workflow is where the CSM works on with it.
import { useWorkspace } from '../../lib/context.ts';
import { formatDateTime } from '../../lib/format.ts';
import type { WorkflowExecution } from '../../lib/types.ts';
import { useAsync } from '../../hooks/useAsync.ts';
import './escalation.css';

interface HistoryEvent { event?: unknown; at?: unknown; by?: unknown; decision?: unknown; note?: unknown; reason?: unknown }

const DECIDED: Record<string, string> = { return: 'returned it with guidance', reassign: 'reassigned it', close: 'closed it' };

/** The last escalation's decision and the escalation it decided, from metadata.history; null unless a manager decided the last one. */
export function lastEscalationDecision(metadata: WorkflowExecution['metadata']): { decided: HistoryEvent; asked: HistoryEvent | null } | null {
  const recorded: unknown = metadata.history;
  const history = Array.isArray(recorded) ? (recorded as HistoryEvent[]) : [];
  const loop = history.filter((entry) => entry.event === 'escalated' || entry.event === 'escalation_resolved' || entry.event === 'escalation_withdrawn');
  const decided = loop.at(-1);
  if (!decided || decided.event !== 'escalation_resolved' || typeof decided.decision !== 'string' || !DECIDED[decided.decision]) return null;
  return { decided, asked: loop.slice(0, -1).reverse().find((entry) => entry.event === 'escalated') ?? null };
}

export function EscalationDecision({ execution }: { execution: WorkflowExecution }) {
  const found = lastEscalationDecision(execution.metadata);
  // The team is asked for only when there is a decision to name its manager in: most
  // workflow pages have none, and asked every time they cost a request each.
  return found ? <DecisionBanner {...found} /> : null;
}

function DecisionBanner({ decided, asked }: { decided: HistoryEvent; asked: HistoryEvent | null }) {
  const { api } = useWorkspace();
  const team = useAsync(() => api.listTeamMembers(), [api]);
  const who = team.data?.find((member) => member.id === decided.by)?.full_name ?? 'The manager';
  const note = typeof decided.note === 'string' && decided.note.trim() ? decided.note : null;
  return (
    <section className="esc-banner esc-decided" role="region" aria-label="Escalation decision">
      <div className="esc-banner-text">
        <p className="esc-banner-title"><strong>{who} {DECIDED[decided.decision as string]}{note ? ':' : '.'}</strong>{note ? <> “{note}”</> : null}</p>
        <p className="small muted">
          {typeof asked?.reason === 'string' ? <>Escalated: “{asked.reason}” · </> : null}
          {/* "7 Dec, 04:36" kept whole, as the app keeps its dates (WholeDates). */}
          {typeof decided.at === 'string' ? <>decided <span className="date-whole">{formatDateTime(decided.at)}</span></> : null}
        </p>
      </div>
    </section>
  );
}
