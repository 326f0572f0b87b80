// The shapes the workspace reads, by the names its screens use. Each is the API module's
// schema (functions-shared/api): the same zod schemas the functions use and the contract
// test parses every RPC's real results with, so a field the server renames fails there,
// not in a browser.
import type {
  ActionOutcome, Artifact as ArtifactRow, ChatMessage as ChatMessageRow, ChatThread as ChatThreadRow, ClaimedOutboxMessage,
  CustomerContext as CustomerContextSchema, CustomerSummary as CustomerSummaryRow, ExecutionBranch, Notification as NotificationRow,
  Preferences as PreferencesSchema, QueueFilters as QueueFiltersSchema, QueueItem as QueueItemSchema, QueueLane as QueueLaneSchema,
  QueueStats as QueueStatsSchema, RpcResult, SavedAction as SavedActionSchema, ScoreIntelligence as ScoreIntelligenceSchema,
  SideEffect as SideEffectSchema, Task as TaskRow, ToolCall as ToolCallSchema, WorkflowExecution as WorkflowExecutionSchema,
  WorkflowStep as WorkflowStepSchema,
} from '../../../functions-shared/api/index.ts';

export type {
  AccountPlan, ArtifactType, ExecutionStatus, RenewalStage, StepStatus, TaskStatus, WorkflowType,
} from '../../../functions-shared/api/index.ts';

export type Profile = RpcResult<'get_my_profile'>;
export type Role = Profile['role'];

export type CustomerSummary = CustomerSummaryRow;
export type PriorityFactors = QueueItem['priority_factors'];
/** Queue lanes, in queue order: lane before priority score (docs/workflow-engine.md). */
export type QueueLane = QueueLaneSchema;
export type QueueFilters = QueueFiltersSchema;
export type QueueItem = QueueItemSchema;
export type QueueStats = QueueStatsSchema;
export type QueuePage = RpcResult<'get_workflow_queue'>;

/** A branch as an execution's steps carry it. */
export type ChatBranch = ExecutionBranch;
export type WorkflowStep = WorkflowStepSchema;
export type WorkflowExecution = WorkflowExecutionSchema;
export type ChatThreadSummary = WorkflowExecution['threads'][number];
export type ActionLogEntry = WorkflowExecution['actions'][number];
export type Meeting = WorkflowExecution['meetings'][number];

/**
 * An artifact as the screens hold it: at least what an execution lists
 * (get_workflow_execution), all of it once read one by one (get_artifact, update_artifact).
 * What only the execution's list works out (send_state, written_by) is absent from an
 * artifact read on its own, so it is optional here.
 */
type ListedArtifact = WorkflowExecution['artifacts'][number];
type ListOnly = 'send_state' | 'written_by';
export type Artifact = Omit<ListedArtifact, ListOnly> & Partial<Pick<ListedArtifact, ListOnly>> & Partial<ArtifactRow>;
export type Task = TaskRow;
export type TaskPriority = Task['priority'];

export type ChatMessage = ChatMessageRow;
export type MessageRole = ChatMessage['role'];
export type MessageStatus = ChatMessage['status'];
export type ChatThread = ChatThreadRow;
/** get_chat_thread: the thread, its messages and the tool calls the assistant made. */
export type ChatThreadWithMessages = RpcResult<'get_chat_thread'>;
/** A tool call, as the chat stream reports it and as the thread's log is shown. */
export type ToolCall = ToolCallSchema;

export type SavedAction = SavedActionSchema;
export type SideEffect = SideEffectSchema;
/** The execute-action function's answer: execute_action's result with its side effects. */
export type ActionResult = ActionOutcome;

export type Notification = NotificationRow;
export type Preferences = PreferencesSchema;

/** Shown before the person's preferences have loaded (get_user_preferences fills in the same). */
export const DEFAULT_PREFERENCES: Preferences = {
  chat: { shiftEnterToSubmit: false, enableSoundNotifications: true, autoScrollToBottom: true },
  notifications: { emailDigest: 'daily', inAppNotifications: true, desktopNotifications: false },
  ui: { theme: 'light', compactMode: false, sidebarCollapsed: false },
  workflow: { autoAdvanceSteps: false, showCompletedTasks: true },
};

export type TeamMember = RpcResult<'list_team_members'>[number];
export type OutboxPage = RpcResult<'list_outbox_messages'>;
export type OutboxMessage = OutboxPage['items'][number];
/** The outbox row a drain claimed (the mail and its lease). */
export type ClaimedOutbox = ClaimedOutboxMessage;

export type ScoreIntelligence = ScoreIntelligenceSchema;
export type Trend = ScoreIntelligence['trend'];
export type CustomerContext = CustomerContextSchema;
export type Freshness = CustomerContext['freshness'];
export type Stakeholder = CustomerContext['account_team']['stakeholders'][number];
