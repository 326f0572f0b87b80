// The customer screens' calls (list, overview, timeline, logging, starting a workflow),
// through the shared supabase client the way lib/api.ts calls RPCs.
import type { Api } from '../../lib/api.ts';
import { fromPostgrestError } from '../../lib/errors.ts';
import type { TaskRow } from '../../../../functions-shared/api/index.ts';
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

export const STAGES = ['Overdue', 'Emergency', 'Critical', 'Signature', 'Finalize', 'Negotiate', 'Engage', 'Prepare', 'Monitor'] as const;
export const PLANS = ['expand', 'invest', 'manage', 'monitor'] as const;

export interface CustomerFilters {
  plans?: string[];
  stages?: string[];
  assignee_id?: string;
  forecast?: string[];
}

export interface CustomerRow {
  id: string;
  name: string;
  domain: string | null;
  industry: string | null;
  arr: number | null;
  health_score: number | null;
  account_plan: string | null;
  renewal_stage: string | null;
  renewal_date: string | null;
  days_until_renewal: number | null;
  decision_date: string | null;
  days_until_decision: number | null;
  assigned_to: string | null;
  assignee: { id: string; full_name: string } | null;
}

export interface CustomerPage {
  items: CustomerRow[];
  next_cursor: string | null;
}

export interface TimelineEntry {
  id: string;
  kind: string;
  subtype: string | null;
  occurred_at: string;
  title: string;
  summary: string | null;
  actor: { id: string; full_name: string } | null;
  execution_id: string | null;
  details: Record<string, unknown> | null;
}

export interface TimelinePage {
  items: TimelineEntry[];
  next_cursor: string | null;
}

export interface CustomerWorkflow {
  execution_id: string;
  workflow_key: string;
  workflow_name: string;
  workflow_type: string;
  status: string;
  open: boolean;
  lane: QueueLane | null;
  priority_score: number | null;
  assignee: { id: string; full_name: string } | null;
  total_steps: number;
  current_step_index: number | null;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  snoozed_until: string | null;
}

export interface CustomerContract {
  id: string;
  contract_number: string | null;
  status: string;
  start_date: string;
  end_date: string | null;
  annual_value: number | null;
  currency: string;
  auto_renew: boolean;
  notice_period_days: number | null;
  notice_deadline: string | null;
  days_until_notice_deadline: number | null;
}

export interface CustomerOverview {
  customer: CustomerRow;
  workflows: CustomerWorkflow[];
  artifacts: { id: string; execution_id: string; artifact_type: string; title: string; approved_at: string | null; created_at: string; workflow_name: string }[];
  contracts: CustomerContract[];
  health_history: { recorded_at: string; health_score: number }[];
  /** The customer's open tasks (whoever holds them). */
  tasks: TaskRow[];
  /** The organisation's manual workflows, each with its open execution if any. */
  startable_workflows: StartableWorkflow[];
}

export interface StartableWorkflow {
  key: string;
  name: string;
  workflow_type: string;
  total_steps: number;
  open_execution_id: string | null;
}

export type EngagementKind = 'note' | 'call' | 'meeting' | 'email';

export function customerApi(api: Api) {
  async function rpc<T>(name: string, args: Record<string, unknown>): Promise<T> {
    const compact = Object.fromEntries(Object.entries(args).filter(([, value]) => value !== undefined && value !== null));
    // These second-release RPCs are typed here until the generated Database type is regenerated.
    const { data, error, status } = await api.client.rpc(name as never, compact as never);
    if (error) throw fromPostgrestError(error, status);
    return data as T;
  }
  return {
    listCustomers: (args: { search?: string | null; page_size?: number; cursor?: string | null; filters?: CustomerFilters; sort?: CustomerSort }) =>
      rpc<CustomerPage>('list_customers', args),
    getOverview: (customerId: string) => rpc<CustomerOverview>('get_customer_overview', { customer_id: customerId }),
    getTimeline: (customerId: string, cursor?: string | null, kinds?: string[] | null, pageSize = 15) =>
      rpc<TimelinePage>('get_customer_timeline', { customer_id: customerId, page_size: pageSize, cursor, kinds }),
    logEngagement: (customerId: string, kind: EngagementKind, occurredAt: string, summary: string, details: Record<string, unknown> = {}) =>
      rpc<{ id: string }>('log_engagement', { customer_id: customerId, kind, occurred_at: occurredAt, summary, details }),
    listStartable: (customerId: string) => rpc<StartableWorkflow[]>('list_startable_workflows', { customer_id: customerId }),
    createExecution: (customerId: string, workflowKey: string) =>
      rpc<WorkflowExecution>('create_workflow_execution', { customer_id: customerId, workflow_key: workflowKey }),
    listTasks: (args: { status?: string; customer_id?: string; page_size?: number; cursor?: string | null; filters?: Record<string, unknown>; sort?: string }) =>
      rpc<{ items: TaskRow[]; next_cursor: string | null }>('list_tasks', args),
    createTask: (args: { title: string; customer_id: string; description?: string | null; due_date?: string | null; priority?: string; task_type?: string; assigned_to?: string | null }) =>
      rpc<Task>('create_task', args),
  };
}

export type CustomerApi = ReturnType<typeof customerApi>;
