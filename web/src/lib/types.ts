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
  /** The notice deadline (renewal date − notice period when the contract auto-renews), else the renewal date. */
  decision_date?: string | null;
  days_until_decision?: number | null;
}

export type PriorityFactors = Record<string, number | string | null>;

/** Queue lanes, in queue order: lane before priority score (docs/workflow-engine.md). */
export type QueueLane = 'now' | 'soon' | 'planned';

/** Server-side queue filters (get_workflow_queue `filters`); an empty list filters nothing. */
export interface QueueFilters {
  types?: WorkflowType[];
  stages?: RenewalStage[];
  plans?: AccountPlan[];
  lanes?: QueueLane[];
  search?: string;
}

export interface QueueItem {
  execution_id: string;
  workflow_key: string;
  workflow_name: string;
  workflow_type: WorkflowType;
  status: ExecutionStatus;
  lane: QueueLane;
  priority_score: number;
  priority_factors: PriorityFactors | null;
  customer: CustomerSummary;
  assignee_id: string | null;
  current_step: { key: string; title: string; index: number } | null;
  total_steps: number;
  completed_steps: number;
  snoozed_until: string | null;
  created_at: string;
  /** Grouped by customer only: the customer's other open items. */
  other_items?: { count: number; kinds: WorkflowType[] };
}

export interface QueueStats {
  total: number;
  by_lane?: Partial<Record<QueueLane, number>>;
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
  key: string;
  label: string;
  type: 'fixed' | 'llm' | 'saved_action' | 'rag';
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
  index?: number;
  skip_reason?: string | null;
  outcome?: Record<string, unknown> | null;
  branches?: ChatBranch[] | null;
}

export interface ChatThreadSummary {
  id: string;
  title?: string | null;
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
  generated_by: 'manual' | 'ai' | 'template' | 'agent';
  ai_model: string | null;
  approved_by: string | null;
  approved_at: string | null;
  /** An email draft that was delivered: when, and by which outbox row. */
  sent_at?: string | null;
  sent_outbox_id?: string | null;
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
  error_message?: string | null;
  side_effects?: SideEffect[] | null;
  created_at?: string;
}

export interface Meeting {
  id: string;
  title: string | null;
  scheduled_at: string;
  duration_minutes: number;
  attendees: unknown;
  invite_status?: string | null;
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
  meetings?: Meeting[];
  progress?: number;
  total_steps?: number;
  completed_steps?: number;
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

/** get_chat_thread: the thread's own fields, its messages and its tool calls. */
export interface ChatThreadWithMessages extends ChatThread {
  messages: ChatMessage[];
  tool_calls?: (ToolCall & { message_id?: string })[];
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
  /** From list_team_members (absent on the customer context's account team). */
  role?: string;
  experience_level?: string | null;
  manager_id?: string | null;
  open_workflows?: number;
}

/** One message of the organisation's outbox (list_outbox_messages). */
export interface OutboxMessage {
  id: string;
  to: string[];
  cc: string[];
  subject: string;
  body_text: string;
  body_html: string | null;
  /** queued, sending, sent, delivered_to_sink, failed or cancelled. */
  status: string;
  attempts: number;
  last_error: string | null;
  provider_message_id: string | null;
  sent_at: string | null;
  created_at: string;
  updated_at: string;
  execution_id: string | null;
  artifact_id: string | null;
  requested_by: { id: string; full_name: string | null } | null;
  customer: { id: string; name: string } | null;
}

export interface OutboxPage {
  items: OutboxMessage[];
  next_cursor: string | null;
}

export type Trend = 'up' | 'down' | 'stable' | null;

export interface ScoreIntelligence {
  score: number | null;
  baseline: number | null;
  baseline_at: string | null;
  change: number | null;
  trend: Trend;
}

/** get_customer_context (customer intelligence, 202… migrations). */
export interface CustomerContext {
  customer: CustomerSummary & { industry?: string | null; risk_score?: number | null; opportunity_score?: number | null };
  intelligence: { trend_window_days?: number; health: ScoreIntelligence; risk: ScoreIntelligence; opportunity: ScoreIntelligence } | null;
  data: {
    financials: {
      current_arr: number | null;
      current_arr_recorded_at: string | null;
      previous_arr: number | null;
      arr_changed_at: string | null;
      arr_change: number | null;
      growth_rate: number | null;
      baseline_arr: number | null;
      baseline_at: string | null;
      trend: Trend;
      /** Monthly points, when the server provides them. */
      history?: { recorded_at?: string; month?: string; date?: string; arr: number }[] | null;
      contract?: { end_date?: string | null; auto_renew?: boolean | null; status?: string | null; notice_period_days?: number | null } | null;
    };
    usage: {
      active_users: number | null;
      licensed_seats: number | null;
      utilisation: number | null;
      recorded_at: string | null;
      baseline_active_users: number | null;
      baseline_at: string | null;
      trend: Trend;
      history?: { recorded_at?: string; active_users: number }[] | null;
    };
    engagement: {
      last_contact_at: string | null;
      last_contact_type: string | null;
      days_since_last_contact: number | null;
      last_qbr_at: string | null;
      next_qbr_at: string | null;
      nps_score: number | null;
      nps_recorded_at: string | null;
      open_tickets: number | null;
    };
  };
  workflow: { days_until_renewal: number | null; renewal_stage: string | null; account_plan: string | null; priority_score: number | null } | null;
  account_team: {
    csm: (TeamMember & { role?: string }) | null;
    account_executive: (TeamMember & { role?: string }) | null;
    support_engineer: (TeamMember & { role?: string }) | null;
    stakeholders: Stakeholder[] | null;
  };
  freshness: Record<string, string | null>;
}
