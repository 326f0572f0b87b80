// An escalated workflow waits for a decision: the banner says to whom it went, at which
// level (by its label, as the action's form offered it) and why, and offers what the person may do — its assignee withdraws it, a manager resolves it. Nobody
// escalates it again (the actions are hidden while it is on hold).
import { useState } from 'react';
import { isManager, useWorkspace } from '../../lib/context.ts';
import { formatDateTime, newId } from '../../lib/format.ts';
import { sendOnce } from '../../lib/pendingKeys.ts';
import { ApiError } from '../../lib/errors.ts';
import type { WorkflowExecution } from '../../lib/types.ts';
import { useAsync } from '../../hooks/useAsync.ts';
import { useLevelName } from './levelNames.ts';
import { escalationApi } from './api.ts';
import { openEscalation } from './types.ts';
import { ReasonDialog } from './ReasonDialog.tsx';
import { ResolveDialog } from './ResolveDialog.tsx';
import './escalation.css';

interface Props {
  execution: WorkflowExecution;
  onChanged: (notice: string) => void;
  /**
   * The withdrawal refused because the escalation is no longer open (decided or withdrawn
   * elsewhere): the page says why and loads the workflow anew, which takes this banner away —
   * and with it the dialog, which cannot be where the reason is said.
   */
  onStale?: (error: unknown) => void;
}

export function EscalationBanner({ execution, onChanged, onStale }: Props) {
  const { api, profile } = useWorkspace();
  const [dialog, setDialog] = useState<'withdraw' | 'resolve' | null>(null);
  const team = useAsync(() => api.listTeamMembers(), [api]);
  const entry = openEscalation(execution.metadata);
  const nameOf = (id: string | null | undefined) => (id ? team.data?.find((member) => member.id === id)?.full_name ?? null : null);
  // Whom it went to: the manager by name, else the level by its label (the lookup, list_escalation_levels).
  const levelName = useLevelName();
  const levelLabel = entry?.level ? levelName(entry.level) : null;
  const manager = nameOf(entry?.manager_id) ?? (entry?.level && entry.level !== 'manager' ? levelLabel : 'the manager');
  const assigneeName = nameOf(execution.assignee_id);
  const mine = execution.assignee_id === profile.id || entry?.by === profile.id;
  const deciding = isManager(profile);

  return (
    <section className="esc-banner" role="region" aria-label="Escalation">
      <div className="esc-banner-text">
        <p className="esc-banner-title"><strong>Escalated to {manager}</strong> — waiting for a decision</p>
        {levelLabel && levelLabel !== manager ? <p className="small" data-testid="escalation-level">Level: {levelLabel}</p> : null}
        <p className="small">
          {entry?.reason ? <>“{entry.reason}”</> : null}
          {entry?.at ? <span className="muted">{entry.reason ? ' · ' : ''}{formatDateTime(entry.at)}{assigneeName && !mine ? ` by ${assigneeName}` : ''}</span> : null}
        </p>
        <p className="small muted">
          {mine && !deciding ? 'You can read and chat meanwhile; steps and actions wait for the decision.' : null}
          {deciding ? 'Return it with guidance, give it to another CSM, or close it.' : null}
          {!mine && !deciding ? 'The workflow is on hold until a manager decides.' : null}
        </p>
      </div>
      <div className="btn-row">
        {mine && profile.role !== 'viewer' ? <button type="button" className="btn btn-small" onClick={() => setDialog('withdraw')}>Withdraw escalation</button> : null}
        {deciding ? <button type="button" className="btn btn-small btn-primary" onClick={() => setDialog('resolve')}>Resolve</button> : null}
      </div>
      {dialog === 'withdraw' ? (
        <ReasonDialog title="Withdraw the escalation" label="Why you are taking it back" missingMessage="Say why you are taking it back." submitLabel="Withdraw"
          intro={<p>The workflow goes back to where it was; {manager} is told.</p>}
          onClose={() => setDialog(null)}
          onSubmit={async (reason) => {
            // Under the key of the same withdrawal left unanswered: sent again after a lost answer,
            // the server answers the one it made, not 'no open escalation'.
            try {
              await sendOnce(`${profile.id}:withdraw_escalation:${execution.id}`, { reason }, newId(),
                (key) => escalationApi(api.client).withdraw(execution.id, reason, key));
            } catch (caught) {
              if (!onStale || !(caught instanceof ApiError && caught.isConflict)) throw caught;
              setDialog(null);
              onStale(caught);
              return;
            }
            setDialog(null);
            onChanged('Escalation withdrawn. The workflow is back where it was.');
          }} />
      ) : null}
      {dialog === 'resolve' ? (
        <ResolveDialog executionId={execution.id} customerName={execution.customer.name} assigneeId={execution.assignee_id}
          assigneeName={assigneeName} reason={entry?.reason ?? null} onClose={() => setDialog(null)}
          onResolved={(_, text) => { setDialog(null); onChanged(text); }} />
      ) : null}
    </section>
  );
}
