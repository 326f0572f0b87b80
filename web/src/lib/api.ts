// Every call the workspace makes to Renubu, typed in one place: RPCs through supabase-js
// (argument names from the generated Database type) and Edge Functions through fetch, so
// the chat stream can be read token by token.
import type { SupabaseClient } from '@supabase/supabase-js';
import type { Database, Json } from './database.types.ts';
import { ApiError, fromFunctionResponse, fromPostgrestError } from './errors.ts';
import { readSse } from './sse.ts';
import type {
  ActionResult, Artifact, ChatBranch, ChatMessage, ChatThread, ChatThreadWithMessages, CustomerContext,
  Notification, OutboxPage, Preferences, Profile, QueueFilters, QueuePage, SavedAction, Task, TeamMember, WorkflowExecution,
} from './types.ts';

type Functions = Database['public']['Functions'];
export type RpcName = keyof Functions;
type ArgsOf<N extends RpcName> = Functions[N]['Args'];

export type RenubuClient = SupabaseClient<Database>;

export type QueueArgs = Omit<ArgsOf<'get_workflow_queue'>, 'filters' | 'group_by_customer'> & {
  filters?: QueueFilters;
  group_by_customer?: boolean;
};

/** Drops undefined and null optional arguments so the server's defaults apply. */
function compact<T extends object>(args: T): T {
  return Object.fromEntries(Object.entries(args).filter(([, value]) => value !== undefined && value !== null)) as T;
}

export interface ChatStreamHandlers {
  onMessages?: (ids: { user_message?: ChatMessage; assistant_message?: ChatMessage; user_message_id?: string; assistant_message_id?: string }) => void;
  onDelta?: (text: string) => void;
  onToolCall?: (call: { name: string; input: Record<string, unknown>; output: Record<string, unknown> | null }) => void;
  onDone?: (message: ChatMessage | null) => void;
  onError?: (error: ApiError) => void;
}

export function createApi(client: RenubuClient, config: { supabaseUrl: string; supabaseAnonKey: string }) {
  async function rpc<T, N extends RpcName>(name: N, args?: ArgsOf<N>): Promise<T> {
    // supabase-js types `rpc` by the Database type; the cast only widens the return.
    const { data, error, status } = await (args === undefined
      ? client.rpc(name as never)
      : client.rpc(name as never, compact(args) as never));
    if (error) throw fromPostgrestError(error, status);
    return data as T;
  }

  async function authHeaders(): Promise<Record<string, string>> {
    const { data } = await client.auth.getSession();
    const token = data.session?.access_token;
    if (!token) throw new ApiError('Your session has ended. Please sign in again.', { code: '401', status: 401 });
    return { Authorization: `Bearer ${token}`, apikey: config.supabaseAnonKey };
  }

  async function invoke<T>(name: string, body: unknown): Promise<T> {
    const response = await fetch(`${config.supabaseUrl}/functions/v1/${name}`, {
      method: 'POST',
      headers: { ...(await authHeaders()), 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw await fromFunctionResponse(response);
    return (await response.json()) as T;
  }

  return {
    client,

    getMyProfile: () => rpc<Profile, 'get_my_profile'>('get_my_profile'),

    // filters / group_by_customer are the second-release arguments (api.md), typed here until
    // the generated Database type is regenerated.
    getQueue: (args: QueueArgs = {}) =>
      rpc<QueuePage, 'get_workflow_queue'>('get_workflow_queue', args as ArgsOf<'get_workflow_queue'>),
    getExecution: (executionId: string) =>
      rpc<WorkflowExecution, 'get_workflow_execution'>('get_workflow_execution', { execution_id: executionId }),
    startWorkflow: (executionId: string) => rpc<Json, 'start_workflow'>('start_workflow', { execution_id: executionId }),
    completeStep: (executionId: string, stepKey: string, outcome: Json = {}) =>
      rpc<Json, 'complete_step'>('complete_step', { execution_id: executionId, step_key: stepKey, outcome }),
    completeWorkflow: (executionId: string, outcome: Json = {}) =>
      rpc<Json, 'complete_workflow'>('complete_workflow', { execution_id: executionId, outcome }),

    listSavedActions: () => rpc<SavedAction[], 'list_saved_actions'>('list_saved_actions'),
    /** Runs a saved action through the Edge Function, which also reports side effects. */
    executeAction: (body: { action_key: string; execution_id: string; params: Record<string, unknown>; idempotency_key: string }) =>
      invoke<ActionResult>('execute-action', body),

    getCustomerContext: (executionId: string) =>
      rpc<CustomerContext, 'get_customer_context'>('get_customer_context', { execution_id: executionId }),
    listCustomers: (args: ArgsOf<'list_customers'> = {}) => rpc<unknown, 'list_customers'>('list_customers', args),
    /** The people of the caller's organisation, by name, with their open workflows. */
    listTeamMembers: () => rpc<TeamMember[], 'list_team_members'>('list_team_members'),
    /** The organisation's outgoing mail (the local mail sink included), newest first. */
    listOutboxMessages: (args: ArgsOf<'list_outbox_messages'> = {}) =>
      rpc<OutboxPage, 'list_outbox_messages'>('list_outbox_messages', args),

    /** With a branch key, the thread follows that llm/rag branch (its prompt, its off-script rule). */
    createChatThread: (executionId: string, stepKey: string, threadType = 'llm', branchKey?: string) =>
      rpc<ChatThread, 'create_chat_thread'>('create_chat_thread', {
        execution_id: executionId, step_key: stepKey, thread_type: threadType, ...(branchKey ? { branch_key: branchKey } : {}),
      } as ArgsOf<'create_chat_thread'>),
    getChatThread: (threadId: string) => rpc<ChatThreadWithMessages, 'get_chat_thread'>('get_chat_thread', { thread_id: threadId }),
    getStepBranches: (workflowKey: string, stepKey: string) =>
      rpc<ChatBranch[], 'get_step_chat_branches'>('get_step_chat_branches', { workflow_key: workflowKey, step_key: stepKey }),
    completeThread: (threadId: string) =>
      invoke<{ thread: ChatThread; step: unknown; next_step: unknown; summary_artifact_id: string | null }>('complete-thread', { thread_id: threadId }),

    /** Sends a chat message and streams the assistant's answer (server-sent events). */
    async streamChat(body: { thread_id: string; content: string; client_message_id: string }, handlers: ChatStreamHandlers, signal?: AbortSignal) {
      const response = await fetch(`${config.supabaseUrl}/functions/v1/chat`, {
        method: 'POST',
        headers: { ...(await authHeaders()), 'Content-Type': 'application/json', Accept: 'text/event-stream' },
        body: JSON.stringify(body),
        signal,
      });
      if (!response.ok) throw await fromFunctionResponse(response);
      if (!response.body || !(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
        // A server that answers JSON instead of a stream: treat it as one final message.
        const json = (await response.json()) as { user_message?: ChatMessage; assistant_message?: ChatMessage };
        handlers.onMessages?.(json);
        handlers.onDone?.(json.assistant_message ?? null);
        return;
      }
      await readSse(response.body, ({ event, data }) => {
        let payload: Record<string, unknown> = {};
        try {
          payload = JSON.parse(data) as Record<string, unknown>;
        } catch {
          payload = { text: data };
        }
        switch (event) {
          case 'message': handlers.onMessages?.(payload); break;
          case 'delta': handlers.onDelta?.(String(payload.text ?? '')); break;
          case 'tool_call':
            handlers.onToolCall?.({
              name: String(payload.name ?? payload.tool_name ?? 'tool'),
              input: (payload.input ?? payload.tool_input ?? {}) as Record<string, unknown>,
              output: (payload.output ?? payload.tool_output ?? null) as Record<string, unknown> | null,
            });
            break;
          case 'done': handlers.onDone?.((payload.message ?? payload.assistant_message ?? payload) as unknown as ChatMessage); break;
          case 'error': {
            const detail = (payload.error ?? payload) as { message?: string; code?: string };
            handlers.onError?.(new ApiError(detail.message ?? 'The assistant could not answer.', { code: detail.code ?? 'stream' }));
            break;
          }
          default: break;
        }
      }, signal);
    },

    listArtifacts: (executionId: string) => rpc<Artifact[], 'list_artifacts'>('list_artifacts', { execution_id: executionId }),
    getArtifact: (artifactId: string) => rpc<Artifact, 'get_artifact'>('get_artifact', { artifact_id: artifactId }),
    updateArtifact: (artifactId: string, changes: Record<string, unknown>, baseVersion: number) =>
      rpc<Artifact, 'update_artifact'>('update_artifact', { artifact_id: artifactId, changes: changes as Json, base_version: baseVersion }),
    approveArtifact: (artifactId: string, approved: boolean) =>
      rpc<Artifact, 'approve_artifact'>('approve_artifact', { artifact_id: artifactId, approved }),

    listTasks: (args: ArgsOf<'list_tasks'> = {}) => rpc<Task[] | { items: Task[]; next_cursor: string | null }, 'list_tasks'>('list_tasks', args),
    actOnTask: (taskId: string, action: string, params: Record<string, unknown> = {}) =>
      rpc<Task, 'act_on_task'>('act_on_task', { task_id: taskId, action, params: params as Json }),

    getPreferences: () => rpc<Preferences, 'get_user_preferences'>('get_user_preferences'),
    updatePreferences: (changes: Partial<{ [G in keyof Preferences]: Partial<Preferences[G]> }>) =>
      rpc<Preferences, 'update_user_preferences'>('update_user_preferences', { changes: changes as Json }),

    listNotifications: async (unreadOnly = false, pageSize = 30): Promise<Notification[]> => {
      const result = await rpc<Notification[] | { items: Notification[] }, 'list_notifications'>('list_notifications', { unread_only: unreadOnly, page_size: pageSize });
      return Array.isArray(result) ? result : result.items ?? [];
    },
    markNotificationsRead: (ids: string[]) => rpc<number, 'mark_notifications_read'>('mark_notifications_read', { notification_ids: ids }),
  };
}

export type Api = ReturnType<typeof createApi>;
