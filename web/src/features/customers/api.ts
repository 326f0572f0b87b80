// The customer screens' calls (list, overview, timeline, logging, starting a workflow),
// through the shared supabase client the way lib/api.ts calls RPCs.
import { typedRpc, type Api } from '../../lib/api.ts';
import { AccountPlan, RenewalStage, type CustomerFilters, type LoggableEngagementKind, type RpcArgs, type RpcResult, type TaskRow } from '../../../../functions-shared/api/index.ts';
import type { QueueLane, Task, WorkflowExecution } from '../../lib/types.ts';

/** A task as list_tasks returns it: with its customer and assignee. */
export type { TaskRow };

export const CUSTOMER_SORTS = [
  { key: 'priority', label: 'Priority (most urgent renewal, then ARR)' },
  { key: 'renewal', label: 'Renewal decision (soonest first)' },
  { key: 'arr', label: 'ARR (largest first)' },
  { key: 'health', label: 'Health (weakest first)' },
  { key: 'name', label: 'Name' },
] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number]['key'];

/** Renewal stages and account plans, in order: the API's enums (the database's checks), not a list of the web's. */
export const STAGES = RenewalStage.options;
export const PLANS = AccountPlan.options;

export type { CustomerFilters };

// The shapes are the API's (functions-shared/api/customers.ts), by the names these screens use.
export type CustomerPage = RpcResult<'list_customers'>;
export type CustomerRow = CustomerPage['items'][number];
export type TimelinePage = RpcResult<'get_customer_timeline'>;
export type TimelineEntry = TimelinePage['items'][number];
export type CustomerOverview = RpcResult<'get_customer_overview'>;
export type CustomerWorkflow = CustomerOverview['workflows'][number];
export type CustomerContract = CustomerOverview['contracts'][number];
export type StartableWorkflow = RpcResult<'list_startable_workflows'>[number];
export type HistoryPassage = RpcResult<'search_customer_history'>[number];

export function customerApi(api: Api) {
  const rpc = typedRpc(api.client);
  return {
    /** Managers and admins: the customer to another CSM; its open workflows and the open tasks its CSM held follow. */
    reassignCustomer: (customerId: string, assigneeId: string, reason: string, idempotencyKey: string) =>
      rpc('reassign_customer', { customer_id: customerId, assignee_id: assigneeId, reason, idempotency_key: idempotencyKey }),
    listCustomers: (args: { search?: string | null; page_size?: number; cursor?: string | null; filters?: CustomerFilters; sort?: CustomerSort }) =>
      rpc('list_customers', args),
    getOverview: (customerId: string) => rpc('get_customer_overview', { customer_id: customerId }),
    getTimeline: (customerId: string, cursor?: string | null, kinds?: RpcArgs<'get_customer_timeline'>['kinds'], pageSize = 15) =>
      rpc('get_customer_timeline', { customer_id: customerId, page_size: pageSize, cursor, kinds }),
    logEngagement: (customerId: string, kind: LoggableEngagementKind, occurredAt: string, summary: string, details: Record<string, unknown> = {}, idempotencyKey?: string) =>
      rpc('log_engagement', { customer_id: customerId, kind, occurred_at: occurredAt, summary, details, idempotency_key: idempotencyKey }),
    searchHistory: (customerId: string, query: string, maxResults = 20) =>
      rpc('search_customer_history', { customer_id: customerId, query, max_results: maxResults }),
    listStartable: (customerId: string) => rpc('list_startable_workflows', { customer_id: customerId }),
    createExecution: (customerId: string, workflowKey: string) =>
      rpc('create_workflow_execution', { customer_id: customerId, workflow_key: workflowKey }),
    listTasks: (args: RpcArgs<'list_tasks'>) => rpc('list_tasks', args),
    createTask: (args: RpcArgs<'create_task'>) => rpc('create_task', args),
  };
}
