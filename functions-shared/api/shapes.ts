// The shapes several RPCs share: a row as the API shows it (an artifact, a task, a chat
// message ...) or a summary of one (a customer in the queue, an execution after a change).
// Nullable where the column may be null (app.* tables) or the SQL builds a null.
import { z } from 'zod';
import { JsonObject, JsonValue } from './json.ts';

// The lists the database checks (the tables' check constraints); a value outside them
// fails the contract test.
export const RenewalStage = z.enum(['Overdue', 'Emergency', 'Critical', 'Signature', 'Finalize', 'Negotiate', 'Engage', 'Prepare', 'Monitor']);
export const AccountPlan = z.enum(['expand', 'invest', 'manage', 'monitor']);
// Not listed here: the kinds of workflow are a lookup table (app.workflow_types; docs/lookups.md),
// given to clients by list_workflow_types(); the database's foreign key is the check.
export const WorkflowType = z.string().min(1);
export const ExecutionStatus = z.enum([
  'queued', 'in_progress', 'snoozed', 'escalated', 'completed', 'completed_with_pending_tasks', 'skipped', 'superseded', 'cancelled',
]);
export const StepStatus = z.enum(['pending', 'in_progress', 'completed', 'skipped']);
export const TaskStatus = z.enum(['pending', 'in_progress', 'snoozed', 'completed', 'skipped', 'reassigned']);
export const ArtifactType = z.enum([
  'email_draft', 'contract_analysis', 'meeting_notes', 'proposal_draft', 'recommendation', 'assessment', 'action_plan', 'summary', 'custom',
]);
/** Where a draft's email is (get_workflow_execution's artifacts): waiting in the outbox, delivered, or its newest send failed. */
/** Where a draft's email is (app.artifact_send_state): no_mail_server is handed over but taken by no mail server (the mail sink). */
export const SendState = z.enum(['queued', 'sent', 'no_mail_server', 'failed']);

/** A lookup's entries in order, [{key, label}] (app.lookup_entries): list_task_options, list_escalation_levels, list_workflow_types. */
export const LookupEntries = z.array(z.object({ key: z.string(), label: z.string() }));

export const PersonRef = z.object({ id: z.string(), full_name: z.string() });
export const CustomerRef = z.object({ id: z.string(), name: z.string() });

/** A step by position: `current_step` of an execution. */
export const StepRef = z.object({ key: z.string(), index: z.number(), title: z.string() });
/** A step with its state: `next_step` after a step or thread completes. */
export const StepState = StepRef.extend({ status: z.string() });

/** An execution after a change (app.execution_summary): what the screens refresh. */
export const ExecutionState = z.object({
  id: z.string(),
  status: ExecutionStatus,
  progress: z.number(),
  started_at: z.string().nullable(),
  assignee_id: z.string().nullable(),
  total_steps: z.number(),
  completed_at: z.string().nullable(),
  current_step: StepRef.nullable(),
  snoozed_until: z.string().nullable(),
  priority_score: z.number(),
  completed_steps: z.number(),
});

/** A customer as the queue, an execution and an escalation show it. */
export const CustomerSummary = z.object({
  id: z.string(),
  arr: z.number().nullable(),
  name: z.string(),
  domain: z.string().nullable(),
  risk_score: z.number().nullable(),
  assigned_to: z.string().nullable(),
  account_plan: AccountPlan,
  health_score: z.number().nullable(),
  renewal_date: z.string().nullable(),
  /** The notice deadline (renewal date − notice period when the contract auto-renews), else the renewal date. */
  decision_date: z.string().nullable(),
  renewal_stage: RenewalStage.nullable(),
  opportunity_score: z.number().nullable(),
  days_until_renewal: z.number().nullable(),
  days_until_decision: z.number().nullable(),
});

/** One outcome of an action outside the database (the action log's `side_effects`). */
export const SideEffect = z.object({
  type: z.string(),
  status: z.string(),
  error: z.string().nullable(),
  attempts: z.number(),
  updated_at: z.string(),
  outbox_id: z.string().optional(),
  meeting_id: z.string().optional(),
  notification_id: z.string().optional(),
  recipient_id: z.string().nullable().optional(),
  transport: z.string().optional(),
  next_attempt_at: z.string().nullable().optional(),
  provider_message_id: z.string().nullable().optional(),
});

/** app.workflow_task_artifacts as the API shows it. */
export const Artifact = z.object({
  id: z.string(),
  execution_id: z.string(),
  step_key: z.string().nullable(),
  task_id: z.string().nullable(),
  thread_id: z.string().nullable(),
  artifact_type: ArtifactType,
  title: z.string(),
  content: JsonObject,
  metadata: JsonObject,
  version: z.number(),
  generated_by: z.string().nullable(),
  ai_model: z.string().nullable(),
  ai_prompt: z.string().nullable(),
  approved: z.boolean(),
  approved_at: z.string().nullable(),
  approved_by: z.string().nullable(),
  /** An email draft that was delivered: when, and by which outbox row. */
  sent_at: z.string().nullable(),
  sent_outbox_id: z.string().nullable(),
  created_by: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

/** app.workflow_tasks as the API shows it, with the deadline worked out. */
export const Task = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  task_type: z.string(),
  priority: z.string(),
  status: TaskStatus,
  due_date: z.string().nullable(),
  customer_id: z.string(),
  execution_id: z.string().nullable(),
  step_key: z.string().nullable(),
  assigned_to: z.string().nullable(),
  created_by: z.string().nullable(),
  /** The AI agent the MCP server attested made it for its person, or null (migration 20261215400200). */
  created_by_agent: z.string().nullable(),
  metadata: JsonObject,
  started_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  skipped_at: z.string().nullable(),
  skip_reason: z.string().nullable(),
  snoozed_until: z.string().nullable(),
  snooze_count: z.number(),
  first_snoozed_at: z.string().nullable(),
  snooze_deadline: z.string().nullable(),
  force_action: z.boolean(),
  force_action_at: z.string().nullable(),
  reassigned_from: z.string().nullable(),
  reassign_reason: z.string().nullable(),
  days_until_deadline: z.number().nullable(),
  is_overdue: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});

/** app.workflow_chat_messages as the API shows it. */
export const ChatMessage = z.object({
  id: z.string(),
  thread_id: z.string(),
  sequence: z.number(),
  role: z.enum(['user', 'assistant', 'system', 'tool']),
  content: z.string(),
  status: z.enum(['pending', 'streaming', 'complete', 'failed']),
  model: z.string().nullable(),
  tokens_in: z.number().nullable(),
  tokens_out: z.number().nullable(),
  client_message_id: z.string().nullable(),
  reply_to_id: z.string().nullable(),
  error_message: z.string().nullable(),
  metadata: JsonObject,
  created_at: z.string(),
  updated_at: z.string(),
  completed_at: z.string().nullable(),
});

/** app.workflow_chat_threads as the API shows it. */
export const ChatThread = z.object({
  id: z.string(),
  execution_id: z.string(),
  step_key: z.string(),
  thread_type: z.string(),
  status: z.enum(['active', 'completed', 'abandoned']),
  title: z.string().nullable(),
  message_count: z.number(),
  tokens_in: z.number(),
  tokens_out: z.number(),
  started_by: z.string().nullable(),
  started_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

/**
 * One tool the model called, in one shape wherever the app shows it: the chat stream's
 * `tool_call` event, the chat function's JSON answer, and a stored thread's log
 * (get_chat_thread `tool_calls`, as StoredToolCall).
 */
export const ToolCall = z.object({
  name: z.string(),
  input: z.record(z.string(), z.unknown()),
  /** What the tool answered (an object; `{error}` when it failed). */
  output: z.record(z.string(), z.unknown()).nullable(),
  success: z.boolean(),
  /** Why it failed; absent when it did not. */
  error: z.string().optional(),
});
export type ToolCall = z.infer<typeof ToolCall>;

/** A tool call as the thread's log keeps it (get_chat_thread, record_llm_tool_call): ToolCall and when, how long. */
export const StoredToolCall = ToolCall.extend({
  id: z.string(),
  message_id: z.string(),
  duration_ms: z.number().nullable(),
  created_at: z.string(),
});

/** Where a proposal stands (the table's check action_proposals_status_is_known). */
export const ProposalStatus = z.enum(['proposed', 'approved', 'rejected', 'expired']);

/** An AI proposal (app.action_proposals) with what a person needs to decide it. */
export const Proposal = z.object({
  id: z.string(),
  status: ProposalStatus,
  action_key: z.string(),
  action_name: z.string(),
  action: JsonValue,
  params: JsonObject,
  rationale: z.string(),
  source: z.object({
    kind: z.string(),
    ref: z.string().nullable(),
    thread_id: z.string().nullable(),
    message_id: z.string().nullable(),
  }),
  customer: CustomerRef,
  execution_id: z.string(),
  workflow_name: z.string(),
  proposed_for: z.string(),
  created_at: z.string(),
  expires_at: z.string().nullable(),
  decided_at: z.string().nullable(),
  decided_by: z.string().nullable(),
  decided_params: JsonObject.nullable(),
  action_execution_id: z.string().nullable(),
});

/** An outbox row as the claim and completion RPCs show it (no lease token unless claimed). */
export const OutboxState = z.object({
  id: z.string(),
  status: z.string(),
  attempts: z.number(),
  next_attempt_at: z.string().nullable(),
  lease_expires_at: z.string().nullable(),
  last_error: z.string().nullable(),
  provider_message_id: z.string().nullable(),
  sent_at: z.string().nullable(),
  artifact_id: z.string().nullable(),
  action_execution_id: z.string().nullable(),
});
/** A claimed outbox row: the mail to send and the lease that lets its holder finish it. */
export const ClaimedOutboxMessage = OutboxState.extend({
  lease_token: z.string(),
  from: z.string().nullable(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  subject: z.string(),
  body_text: z.string(),
  body_html: z.string().nullable(),
});

/** The person's preferences, defaults filled in. */
export const Preferences = z.object({
  chat: z.object({ shiftEnterToSubmit: z.boolean(), enableSoundNotifications: z.boolean(), autoScrollToBottom: z.boolean() }),
  notifications: z.object({ emailDigest: z.enum(['off', 'daily', 'weekly']), inAppNotifications: z.boolean(), desktopNotifications: z.boolean() }),
  ui: z.object({ theme: z.enum(['light', 'dark', 'system']), compactMode: z.boolean(), sidebarCollapsed: z.boolean() }),
  workflow: z.object({ autoAdvanceSteps: z.boolean(), showCompletedTasks: z.boolean() }),
});

/** A branch as get_step_chat_branches lists it (app.workflow_chat_branches). */
export const StepBranch = z.object({
  id: z.string(),
  branch_key: z.string(),
  branch_type: z.enum(['fixed', 'llm', 'saved_action', 'rag']),
  label: z.string(),
  position: z.number(),
  config: JsonObject,
  response_text: z.string().nullable(),
  next_step_key: z.string().nullable(),
  prompt_template: z.string().nullable(),
  allow_off_script: z.boolean(),
  saved_action_key: z.string().nullable(),
  return_step_key: z.string().nullable(),
});

/** A branch as an execution's steps carry it (get_workflow_execution `steps[].branches`). */
export const ExecutionBranch = z.object({
  key: z.string(),
  type: z.enum(['fixed', 'llm', 'saved_action', 'rag']),
  label: z.string(),
  config: JsonObject,
  response_text: z.string().nullable(),
  next_step_key: z.string().nullable(),
  allow_off_script: z.boolean(),
  saved_action_key: z.string().nullable(),
  return_step_key: z.string().nullable(),
});

/** A step of an execution with its state. */
export const WorkflowStep = z.object({
  key: z.string(),
  type: z.string(),
  index: z.number(),
  title: z.string(),
  status: StepStatus,
  outcome: JsonObject.nullable(),
  branches: z.array(ExecutionBranch),
  started_at: z.string().nullable(),
  skip_reason: z.string().nullable(),
  completed_at: z.string().nullable(),
  artifact_types: z.array(z.string()),
});

/** A notification of the person (app.notifications). */
export const Notification = z.object({
  id: z.string(),
  notification_type: z.string(),
  title: z.string(),
  body: z.string().nullable(),
  data: JsonObject,
  read_at: z.string().nullable(),
  created_at: z.string(),
});

export type RenewalStage = z.infer<typeof RenewalStage>;
export type AccountPlan = z.infer<typeof AccountPlan>;
export type WorkflowType = z.infer<typeof WorkflowType>;
export type LookupEntries = z.infer<typeof LookupEntries>;
export type ExecutionStatus = z.infer<typeof ExecutionStatus>;
export type StepStatus = z.infer<typeof StepStatus>;
export type TaskStatus = z.infer<typeof TaskStatus>;
export type ArtifactType = z.infer<typeof ArtifactType>;
export type PersonRef = z.infer<typeof PersonRef>;
export type CustomerRef = z.infer<typeof CustomerRef>;
export type StepRef = z.infer<typeof StepRef>;
export type StepState = z.infer<typeof StepState>;
export type ExecutionState = z.infer<typeof ExecutionState>;
export type CustomerSummary = z.infer<typeof CustomerSummary>;
export type SideEffect = z.infer<typeof SideEffect>;
export type Artifact = z.infer<typeof Artifact>;
export type Task = z.infer<typeof Task>;
export type ChatMessage = z.infer<typeof ChatMessage>;
export type ChatThread = z.infer<typeof ChatThread>;
export type StoredToolCall = z.infer<typeof StoredToolCall>;
export type Proposal = z.infer<typeof Proposal>;
export type ProposalStatus = z.infer<typeof ProposalStatus>;
export type OutboxState = z.infer<typeof OutboxState>;
export type ClaimedOutboxMessage = z.infer<typeof ClaimedOutboxMessage>;
export type Preferences = z.infer<typeof Preferences>;
export type StepBranch = z.infer<typeof StepBranch>;
export type ExecutionBranch = z.infer<typeof ExecutionBranch>;
export type WorkflowStep = z.infer<typeof WorkflowStep>;
export type Notification = z.infer<typeof Notification>;
