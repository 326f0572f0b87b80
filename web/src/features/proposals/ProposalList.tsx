// The proposals waiting on one workflow, shown beside its chat. Approve runs the proposed
// action as the person clicking (decide_proposal → execute_action); Edit opens the action's
// form prefilled with the proposal and approves with what the person changed; Reject runs
// nothing. The list refreshes on its own, so a proposal the assistant just made appears.
import { useCallback, useEffect, useImperativeHandle, useState, type Ref } from 'react';
import { useWorkspace } from '../../lib/context.ts';
import { newId } from '../../lib/format.ts';
import type { ActionResult, Artifact, SavedAction } from '../../lib/types.ts';
import { InlineError } from '../../components/States.tsx';
import { ActionDialog } from '../actions/ActionDialog.tsx';
import { decideProposal, listProposals, type Proposal } from './api.ts';
import { ProposalCard } from './ProposalCard.tsx';
import { labelsOf, useEscalationLevels, useTaskOptions } from '../actions/lookups.ts';
import type { ParamWords } from './proposalParams.ts';
import { useTeamMembers } from '../queue/useTeamMembers.ts';

export interface ProposalListHandle {
  reload: () => Promise<Proposal[]>;
  /** Opens the edit form of the waiting proposal for this action, if there is one. */
  edit: (actionKey: string) => Promise<boolean>;
}

interface Props {
  executionId: string;
  canDecide: boolean;
  actions: SavedAction[];
  artifacts: Artifact[];
  /** The workflow's customer's renewal and notice deadline: an edited proposal's form uses them as the action's own does. */
  renewal?: { renewal_date?: string | null; decision_date?: string | null };
  /** `result` is null for a rejection; `inDialog` when decided from the edit form, still open. */
  onDecided: (result: ActionResult | null, how: { proposal: Proposal; inDialog: boolean }) => void;
  /** The edit form closed (its proposal may be gone with the Edit button that opened it). */
  onDialogClosed?: () => void;
  handle?: Ref<ProposalListHandle>;
  /** How often to look for new proposals while the workflow is open (ms). */
  pollMs?: number;
}

/** The email draft of the workflow a proposal's params name (artifact_id), if any. */
function emailDraftIn(artifacts: Artifact[], params: Record<string, unknown>): Artifact | undefined {
  return artifacts.find((artifact) => artifact.artifact_type === 'email_draft' && artifact.id === params.artifact_id);
}

export function ProposalList({ executionId, canDecide, actions, artifacts, renewal, onDecided, onDialogClosed, handle, pollMs = 10_000 }: Props) {
  const { api } = useWorkspace();
  const [proposals, setProposals] = useState<Proposal[]>([]);
  const [busy, setBusy] = useState<{ id: string; kind: 'approve' | 'reject' } | null>(null);
  const [editing, setEditing] = useState<Proposal | null>(null);
  const [error, setError] = useState<unknown>(null);
  const levels = useEscalationLevels();
  const taskOptions = useTaskOptions();
  const team = useTeamMembers('reassign');
  const words: ParamWords = {
    labels: labelsOf(levels.data, taskOptions.data?.priorities, taskOptions.data?.task_types),
    draftTitles: Object.fromEntries(artifacts.filter((artifact) => artifact.artifact_type === 'email_draft').map((draft) => [draft.id, draft.title])),
    people: Object.fromEntries((team.data ?? []).map((member) => [member.id, member.full_name])),
  };
  // One key per proposal and decision, made once: a double click or a retry decides once.
  const [keys] = useState(() => new Map<string, string>());
  const keyFor = (id: string, kind: string) => {
    const name = `${id}:${kind}`;
    if (!keys.has(name)) keys.set(name, newId());
    return keys.get(name)!;
  };

  const reload = useCallback(async () => {
    const next = await listProposals(api, { execution_id: executionId });
    setProposals(next);
    return next;
  }, [api, executionId]);

  useEffect(() => {
    let alive = true;
    const tick = () => { if (document.visibilityState !== 'hidden') reload().catch((caught: unknown) => { if (alive) setError(caught); }); };
    tick();
    const timer = window.setInterval(tick, pollMs);
    return () => { alive = false; window.clearInterval(timer); };
  }, [reload, pollMs]);

  useImperativeHandle(handle, () => ({
    reload,
    edit: async (actionKey: string) => {
      const found = (await reload()).find((proposal) => proposal.action_key === actionKey);
      if (found) setEditing(found);
      return Boolean(found);
    },
  }), [reload]);

  async function decide(proposal: Proposal, approve: boolean) {
    if (busy) return;
    setBusy({ id: proposal.id, kind: approve ? 'approve' : 'reject' });
    setError(null);
    try {
      const decision = await decideProposal(api, { proposal_id: proposal.id, approve, idempotency_key: keyFor(proposal.id, approve ? 'approve' : 'reject') });
      onDecided(decision.action, { proposal, inDialog: false });
      await reload();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(null);
    }
  }

  const editAction = editing ? actions.find((action) => action.key === editing.action_key) : undefined;
  // The edit form stays open once its proposal is decided (and gone from the list), to say what
  // was done, until Done; the list going empty must not take the form, and its answer, away.
  const dialog = editing && editAction ? (
    <ActionDialog action={editAction} executionId={executionId} artifacts={artifacts} proposed={editing.params}
      renewalDate={renewal?.renewal_date} decisionDate={renewal?.decision_date}
      requestName={`decide_proposal:${editing.id}`}
      submit={async (params, idempotencyKey) => {
        const decision = await decideProposal(api, { proposal_id: editing.id, approve: true, params, idempotency_key: idempotencyKey });
        void reload();
        return decision.action!;
      }}
      onClose={() => { setEditing(null); onDialogClosed?.(); }} onDone={(result) => onDecided(result, { proposal: editing, inDialog: true })} />
  ) : null;
  // The dialog keeps one place in the tree whether or not the list is shown, so it is never remade.
  return (
    <>
      {proposals.length > 0 || error ? (
        <section className="proposal-list" aria-label="Proposals waiting for a decision">
          <h3 className="proposal-list-title">Waiting for your decision</h3>
          {proposals.map((proposal) => (
            <ProposalCard key={proposal.id} proposal={proposal} canDecide={canDecide} words={words} emailDraft={emailDraftIn(artifacts, proposal.params)}
              busy={busy?.id === proposal.id ? busy.kind : null}
              onApprove={(p) => void decide(p, true)} onReject={(p) => void decide(p, false)} onEdit={setEditing} />
          ))}
          <InlineError error={error} />
        </section>
      ) : null}
      {dialog}
    </>
  );
}
