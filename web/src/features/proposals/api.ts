// The proposals feature's calls (list_proposals, decide_proposal), through the workspace's
// supabase-js client the way lib/api.ts calls RPCs. Typed here until the generated
// Database type knows these functions.
import type { Api } from '../../lib/api.ts';
import { fromPostgrestError } from '../../lib/errors.ts';
import type { ActionResult } from '../../lib/types.ts';

export type ProposalStatus = 'proposed' | 'approved' | 'rejected' | 'expired';

export interface Proposal {
  id: string;
  execution_id: string;
  action_key: string;
  action_name: string | null;
  params: Record<string, unknown>;
  rationale: string;
  source: { kind: 'thread' | 'brief' | 'agent'; thread_id: string | null; message_id: string | null; ref: string | null };
  proposed_for: string;
  status: ProposalStatus;
  expires_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decided_params: Record<string, unknown> | null;
  action_execution_id: string | null;
  customer: { id: string; name: string } | null;
  workflow_name: string | null;
  created_at: string;
}

export interface Decision {
  proposal: Proposal;
  action: ActionResult | null;
  replayed: boolean;
}

export async function callRpc<T>(api: Api, name: string, args: Record<string, unknown>): Promise<T> {
  const { data, error, status } = await api.client.rpc(name as never, args as never);
  if (error) throw fromPostgrestError(error, status);
  return data as T;
}

export function listProposals(api: Api, args: { status?: ProposalStatus | 'all'; execution_id?: string }): Promise<Proposal[]> {
  return callRpc<Proposal[]>(api, 'list_proposals', { status: args.status ?? 'proposed', execution_id: args.execution_id ?? null });
}

export function decideProposal(api: Api, args: { proposal_id: string; approve: boolean; params?: Record<string, unknown> | null; idempotency_key?: string }): Promise<Decision> {
  return callRpc<Decision>(api, 'decide_proposal', {
    proposal_id: args.proposal_id, approve: args.approve, params: args.params ?? null, idempotency_key: args.idempotency_key ?? null,
  });
}
