// The proposals feature's calls (list_proposals, decide_proposal), through the workspace's
// supabase-js client the way lib/api.ts calls RPCs, typed by the API's schemas.
import { typedRpc, type Api } from '../../lib/api.ts';
import type { ProposalStatus, RpcArgs, RpcResult } from '../../../../functions-shared/api/index.ts';

export type { ProposalStatus };

export type Proposal = RpcResult<'list_proposals'>[number];
export type Decision = RpcResult<'decide_proposal'>;

export function listProposals(api: Api, args: { status?: RpcArgs<'list_proposals'>['status']; execution_id?: string }): Promise<Proposal[]> {
  return typedRpc(api.client)('list_proposals', { status: args.status ?? 'proposed', execution_id: args.execution_id ?? null });
}

export function decideProposal(api: Api, args: { proposal_id: string; approve: boolean; params?: Record<string, unknown> | null; idempotency_key?: string }): Promise<Decision> {
  return typedRpc(api.client)('decide_proposal', {
    proposal_id: args.proposal_id, approve: args.approve, params: args.params ?? null, idempotency_key: args.idempotency_key ?? null,
  });
}
