// The shapes the RPCs return (they are jsonb, so the generated Database type says `Json`).
// Written from shared/spec/api.md and domain.md; fields the server may omit are optional.

export type Role = 'admin' | 'manager' | 'csm' | 'viewer';

export interface Profile {
  id: string;
  org_id: string;
  org_name: string;
  full_name: string;
  email: string;
  role: Role;
  title: string | null;
  experience_level: string | null;
  manager_id: string | null;
}

export type RenewalStage =
  | 'Overdue' | 'Emergency' | 'Critical' | 'Signature' | 'Finalize'
  | 'Negotiate' | 'Engage' | 'Prepare' | 'Monitor';
export type AccountPlan = 'expand' | 'invest' | 'manage' | 'monitor';
export type WorkflowType = 'renewal' | 'strategic' | 'risk' | 'opportunity' | 'custom';
export type ExecutionStatus =
  | 'queued' | 'in_progress' | 'completed' | 'completed_with_pending_tasks' | 'skipped'
  | 'superseded' | 'cancelled' | 'snoozed' | 'escalated';

export interface CustomerSummary {
  id: string;
  name: string;
  domain: string | null;
  arr: number | null;
  health_score: number | null;
  account_plan: AccountPlan | null;
  renewal_stage: RenewalStage | null;
  renewal_date: string | null;
  days_until_renewal: number | null;
}

export type PriorityFactors = Record<string, number | string | null>;

export interface QueueItem {
  execution_id: string;
  workflow_key: string;
  workflow_name: string;
  workflow_type: WorkflowType;
  status: ExecutionStatus;
  priority_score: number;
  priority_factors: PriorityFactors | null;
  customer: CustomerSummary;
  assignee_id: string | null;
  current_step: { key: string; title: string; index: number } | null;
  total_steps: number;
  completed_steps: number;
  snoozed_until: string | null;
  created_at: string;
}

export interface QueueStats {
  total: number;
  by_type: Record<string, number>;
  by_stage: Record<string, number>;
  by_account_plan: Record<string, number>;
  unique_customers: number;
  avg_priority: number | null;
  priority_range: { min: number | null; max: number | null } | null;
}

export interface QueuePage {
  items: QueueItem[];
  next_cursor: string | null;
  stats: QueueStats;
}

export type StepStatus = 'pending' | 'in_progress' | 'completed' | 'skipped';

export interface ChatBranch {
  branch_key: string;
  label: string;
  branch_type: 'fixed' | 'llm' | 'saved_action' | 'rag';
  position?: number;
  response_text?: string | null;
  next_step_key?: string | null;
  prompt_template?: string | null;
  allow_off_script?: boolean;
  saved_action_key?: string | null;
  return_step_key?: string | null;
}

export interface WorkflowStep {
  key: string;
  title: string;
  type?: string | null;
  status: StepStatus;
  started_at: string | null;
  completed_at: string | null;
  description?: string | null;
  branches?: ChatBranch[] | null;
}

export interface ChatThreadSummary {
  id: string;
  step_key: string;
  thread_type: string;
  status: 'active' | 'completed' | 'abandoned';
  message_count?: number;
  created_at?: string;
}

export type ArtifactType =
  | 'email_draft' | 'contract_analysis' | 'meeting_notes' | 'proposal_draft' | 'recommendation'
  | 'assessment' | 'action_plan' | 'summary' | 'custom';

export interface Artifact {
  id: string;
  execution_id: string;
  step_key: string | null;
  task_id: string | null;
  thread_id: string | null;
  artifact_type: ArtifactType;
  title: string;
  content: Record<string, unknown>;
  version: number;
  generated_by: 'manual' | 'ai' | 'template';
  ai_model: string | null;
  approved_by: string | null;
  approved_at: string | null;
  created_at: string;
  updated_at: string;
  versions?: { version: number; title?: string; created_at?: string }[];
}

export type TaskStatus = 'pending' | 'in_progress' | 'snoozed' | 'completed' | 'skipped' | 'reassigned';
export type TaskPriority = 'low' | 'medium' | 'high' | 'urgent';

export interface Task {
  id: string;
  title: string;
  description: string | null;
  task_type: string;
  priority: TaskPriority;
  status: TaskStatus;
  due_date: string | null;
  customer_id: string | null;
  customer_name?: string | null;
  customer?: { id: string; name: string } | null;
  execution_id: string | null;
  assigned_to: string | null;
  snoozed_until?: string | null;
  days_until_deadline?: number | null;
  is_overdue?: boolean;
  force_action?: boolean;
  created_at?: string;
}

export interface ActionLogEntry {
  id?: string;
  action_key: string;
  success: boolean;
  params?: Record<string, unknown>;
  result?: Record<string, unknown> | null;
  executed_by?: string | null;
  created_at?: string;
}

export interface WorkflowExecution {
  id: string;
  workflow_key: string;
  workflow_name: string;
  workflow_type: WorkflowType;
  status: ExecutionStatus;
  assignee_id: string | null;
  priority_score?: number | null;
  snoozed_until: string | null;
  started_at: string | null;
  completed_at: string | null;
  created_at?: string;
  customer: CustomerSummary;
  steps: WorkflowStep[];
  threads: ChatThreadSummary[];
  artifacts: Artifact[];
  tasks: Task[];
  actions: ActionLogEntry[];
  current_step?: { key: string; title: string; index: number } | null;
}

export type MessageRole = 'user' | 'assistant' | 'system' | 'tool';
export type MessageStatus = 'pending' | 'streaming' | 'complete' | 'failed';

export interface ToolCall {
  id?: string;
  tool_name?: string;
  name?: string;
  tool_input?: Record<string, unknown>;
  input?: Record<string, unknown>;
  tool_output?: Record<string, unknown> | null;
  output?: Record<string, unknown> | null;
  success?: boolean;
  error_message?: string | null;
}

export interface ChatMessage {
  id: string;
  thread_id?: string;
  role: MessageRole;
  content: string;
  sequence: number;
  status: MessageStatus;
  client_message_id?: string | null;
  tokens_in?: number | null;
  tokens_out?: number | null;
  model?: string | null;
  metadata?: Record<string, unknown> | null;
  error_message?: string | null;
  tool_calls?: ToolCall[] | null;
  created_at?: string;
}

export interface ChatThread extends ChatThreadSummary {
  execution_id: string;
  total_tokens?: number;
}

export interface ChatThreadWithMessages {
  thread: ChatThread;
  messages: ChatMessage[];
  llm_context?: Record<string, unknown> | null;
}

export interface SavedAction {
  key: string;
  name: string;
  type: string;
  description?: string | null;
  config: Record<string, unknown>;
}

export interface SideEffect {
  kind?: string;
  type?: string;
  status: string;
  message?: string | null;
  error?: string | null;
  [key: string]: unknown;
}

export interface ActionResult {
  action_execution_id: string;
  action_key: string;
  success: boolean;
  result: Record<string, unknown> | null;
  execution: { id: string; status: ExecutionStatus; snoozed_until: string | null; current_step: unknown } | null;
  replayed: boolean;
  side_effects?: SideEffect[];
}

export interface Notification {
  id: string;
  notification_type: string;
  title: string;
  body: string | null;
  data: Record<string, unknown>;
  read_at: string | null;
  created_at: string;
}

export interface Preferences {
  chat: { shiftEnterToSubmit: boolean; enableSoundNotifications: boolean; autoScrollToBottom: boolean };
  notifications: { emailDigest: 'off' | 'daily' | 'weekly'; inAppNotifications: boolean; desktopNotifications: boolean };
  ui: { theme: 'light' | 'dark' | 'system'; compactMode: boolean; sidebarCollapsed: boolean };
  workflow: { autoAdvanceSteps: boolean; showCompletedTasks: boolean };
}

export const DEFAULT_PREFERENCES: Preferences = {
  chat: { shiftEnterToSubmit: false, enableSoundNotifications: true, autoScrollToBottom: true },
  notifications: { emailDigest: 'daily', inAppNotifications: true, desktopNotifications: false },
  ui: { theme: 'light', compactMode: false, sidebarCollapsed: false },
  workflow: { autoAdvanceSteps: false, showCompletedTasks: true },
};

export interface Freshness {
  [part: string]: string | null | undefined;
}

export interface Stakeholder {
  id?: string;
  name: string;
  title?: string | null;
  email?: string | null;
  role?: string | null;
  influence?: string | null;
  is_champion?: boolean;
  is_decision_maker?: boolean;
}

export interface TeamMember {
  id: string;
  full_name: string;
  email?: string | null;
  title?: string | null;
}

export interface CustomerContext {
  customer: CustomerSummary & { industry?: string | null; risk_score?: number | null; opportunity_score?: number | null };
  intelligence: {
    risk_score?: number | null;
    opportunity_score?: number | null;
    health_score?: number | null;
    risk_trend?: string | null;
    opportunity_trend?: string | null;
    health_trend?: string | null;
  } | null;
  data: {
    financials: {
      current_arr?: number | null;
      previous_arr?: number | null;
      trend?: string | null;
      history?: { date?: string; month?: string; recorded_on?: string; effective_date?: string; arr: number }[] | null;
    } | null;
    usage: {
      active_users?: number | null;
      licensed_seats?: number | null;
      utilisation?: number | null;
      utilization?: number | null;
      trend?: string | null;
      history?: { date?: string; snapshot_date?: string; active_users: number }[] | null;
    } | null;
    engagement: {
      last_contact?: string | null;
      last_qbr?: string | null;
      next_qbr?: string | null;
      nps?: number | null;
      open_tickets?: number | null;
      open_support_tickets?: number | null;
    } | null;
  } | null;
  workflow: { days_until_renewal?: number | null; renewal_stage?: string | null; account_plan?: string | null; priority_score?: number | null } | null;
  account_team: {
    csm?: TeamMember | null;
    account_executive?: TeamMember | null;
    support_engineer?: TeamMember | null;
    stakeholders?: Stakeholder[] | null;
  } | null;
  freshness: Freshness | null;
}
