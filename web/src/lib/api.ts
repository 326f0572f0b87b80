// Every call the workspace makes to Renubu, typed in one place: RPCs through supabase-js,
// their arguments and results typed by the API's schemas (functions-shared/api), and Edge
// Functions through fetch, so the chat stream can be read token by token.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type { Database } from './database.types.ts';
import type { ChatEvents, ChatResponse, CompleteThreadResponse, ExecuteActionBody, RpcArgs, RpcName, RpcResult, ToolCall } from '../../../functions-shared/api/index.ts';
import { ApiError, fromFunctionResponse, fromPostgrestError } from './errors.ts';
import { readSse } from './sse.ts';
import { createSessionFetch, type SessionFetch } from './sessionFetch.ts';
import { forgetUnansweredRequests } from './pendingKeys.ts';
import { forgetUnsentText } from './unsentText.ts';
import type { z } from 'zod';

export type { RpcName };
export type RenubuClient = SupabaseClient<Database>;

export type QueueArgs = RpcArgs<'get_workflow_queue'>;

/** Drops undefined and null optional arguments so the server's defaults apply. */
function compact<T extends object>(args: T): T {
  return Object.fromEntries(Object.entries(args).filter(([, value]) => value !== undefined && value !== null)) as T;
}

type ChatEvent<K extends keyof typeof ChatEvents> = z.infer<(typeof ChatEvents)[K]>;

/** What the chat stream reports, event by event (functions-shared/api/functions.ts ChatEvents). */
export interface ChatStreamHandlers {
  /** First: both stored messages (the question, and the answer still pending). */
  onMessages?: (messages: ChatEvent<'message'>) => void;
  onDelta?: (text: string) => void;
  onToolCall?: (call: ToolCall) => void;
  /** Last on success: the finished answer. */
  onDone?: (message: ChatEvent<'done'>) => void;
  onError?: (error: ApiError) => void;
}

/**
 * RPCs through a supabase-js client, arguments and results typed by the API's schemas
 * (supabase-js types them by the generated Database type, whose results are `Json`; the
 * contract test parses real results with the schemas). The features' own api modules use it.
 */
export function typedRpc(client: Pick<RenubuClient, 'rpc'>) {
  return async function rpc<N extends RpcName>(name: N, args?: RpcArgs<N>): Promise<RpcResult<N>> {
    const { data, error, status } = await (args === undefined
      ? client.rpc(name as never)
      : client.rpc(name as never, compact(args) as never));
    if (error) throw fromPostgrestError(error, status);
    return data as RpcResult<N>;
  };
}

/**
 * The workspace's API over a new supabase-js client: the client and the Edge Function calls
 * share one session-scoped fetch, which a session ending anywhere (signOut, another tab, a
 * refused refresh) closes and the next session opens (lib/sessionFetch.ts).
 */
export function connectApi(config: { supabaseUrl: string; supabaseAnonKey: string }) {
  const session = createSessionFetch();
  const client: RenubuClient = createClient<Database>(config.supabaseUrl, config.supabaseAnonKey, {
    auth: { persistSession: true, autoRefreshToken: true, detectSessionInUrl: false, storageKey: 'renubu-auth' },
    global: { fetch: session.fetch },
  });
  client.auth.onAuthStateChange((_event, live) => (live ? session.open() : session.close()));
  return createApi(client, config, session);
}

/**
 * Which sessions a sign-out ends: this browser's, or every one the person has; 'ended' is this
 * browser's too, for a session the server refused already (expired, ended on another device):
 * Sign in again (components/SignInAgain.tsx) keeps what the person typed and had not sent,
 * kept under their name (lib/unsentText.ts), for when they are back.
 */
export type SignOutScope = 'this-device' | 'everywhere' | 'ended';

/**
 * `session` must be the one the client was built with (`global.fetch`), so that signOut()
 * stops the supabase-js calls as well as the Edge Function calls made here (connectApi
 * builds the two together; tests pass a client of their own and get a session of its own).
 */
export function createApi(
  client: RenubuClient,
  config: { supabaseUrl: string; supabaseAnonKey: string },
  session: SessionFetch = createSessionFetch(),
) {
  const rpc = typedRpc(client);

  async function authHeaders(): Promise<Record<string, string>> {
    const { data } = await client.auth.getSession();
    const token = data.session?.access_token;
    if (!token) throw new ApiError('Your session has ended. Please sign in again.', { code: '401', status: 401 });
    return { Authorization: `Bearer ${token}`, apikey: config.supabaseAnonKey };
  }

  /** Calls an Edge Function as the signed-in person; its house error body becomes an ApiError. */
  async function invoke<T>(name: string, body: unknown): Promise<T> {
    const response = await session.fetch(`${config.supabaseUrl}/functions/v1/${name}`, {
      method: 'POST',
      headers: { ...(await authHeaders()), 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw await fromFunctionResponse(response);
    return (await response.json()) as T;
  }

  return {
    client,
    rpc,
    invoke,

    /**
     * Stops this session's calls first, then signs out (lib/sessionFetch.ts says why). This
     * device's sign-out forgets the session before it asks Auth, so it never depends on the
     * network. A sign-out everywhere that did not happen (Auth unreachable: supabase-js keeps
     * the session) lets the session's calls through again and says so. One that did forgets the requests left
     * unanswered, with what they sent (lib/pendingKeys.ts).
     */
    async signOut(where: SignOutScope = 'this-device'): Promise<void> {
      session.close();
      // Signing out ends this browser's session only, as in most tools people use at work:
      // supabase-js's default ('global') would also sign out the person's phone and other
      // computers. "Sign out everywhere" (Preferences) ends every session.
      await client.auth.signOut({ scope: where === 'everywhere' ? 'global' : 'local' });
      if ((await client.auth.getSession()).data.session) {
        session.open();
        throw new ApiError('You are still signed in: the sign-out did not reach the server. Check your connection, then try again.',
          { code: 'sign_out_failed' });
      }
      forgetUnansweredRequests();
      if (where !== 'ended') forgetUnsentText();
    },

    getMyProfile: () => rpc('get_my_profile'),

    getQueue: (args: QueueArgs = {}) => rpc('get_workflow_queue', args),
    getExecution: (executionId: string) => rpc('get_workflow_execution', { execution_id: executionId }),
    /** With the key of the press it is sent for: the same key again answers the start it made. */
    startWorkflow: (executionId: string, idempotencyKey: string) => rpc('start_workflow', { execution_id: executionId, idempotency_key: idempotencyKey }),
    /** With the key of the press it is sent for: the same key again answers what the first answered. */
    completeStep: (executionId: string, stepKey: string, idempotencyKey: string, outcome: Record<string, unknown> = {}) =>
      rpc('complete_step', { execution_id: executionId, step_key: stepKey, outcome, idempotency_key: idempotencyKey }),
    completeWorkflow: (executionId: string, outcome: Record<string, unknown> = {}) =>
      rpc('complete_workflow', { execution_id: executionId, outcome }),

    listSavedActions: () => rpc('list_saved_actions'),
    /** Runs a saved action through the Edge Function, which also reports side effects. */
    executeAction: (body: ExecuteActionBody) => invoke<RpcResult<'execute_action'>>('execute-action', body),

    getCustomerContext: (executionId: string) => rpc('get_customer_context', { execution_id: executionId }),
    listCustomers: (args: RpcArgs<'list_customers'> = {}) => rpc('list_customers', args),
    /** The people of the caller's organisation, by name, with their open workflows. */
    listTeamMembers: () => rpc('list_team_members'),
    /** The organisation's outgoing mail (the local mail sink included), newest first. */
    listOutboxMessages: (args: RpcArgs<'list_outbox_messages'> = {}) => rpc('list_outbox_messages', args),

    /** With a branch key, the thread follows that llm/rag branch (its prompt, its off-script rule). */
    createChatThread: (executionId: string, stepKey: string, threadType = 'llm', branchKey?: string, idempotencyKey?: string) =>
      rpc('create_chat_thread', { execution_id: executionId, step_key: stepKey, thread_type: threadType, branch_key: branchKey, idempotency_key: idempotencyKey }),
    getChatThread: (threadId: string) => rpc('get_chat_thread', { thread_id: threadId }),
    getStepBranches: (workflowKey: string, stepKey: string) =>
      rpc('get_step_chat_branches', { workflow_key: workflowKey, step_key: stepKey }),
    completeThread: (threadId: string) => invoke<CompleteThreadResponse>('complete-thread', { thread_id: threadId }),

    /** Sends a chat message and streams the assistant's answer (server-sent events). */
    async streamChat(body: { thread_id: string; content: string; client_message_id: string }, handlers: ChatStreamHandlers, signal?: AbortSignal) {
      const response = await session.fetch(`${config.supabaseUrl}/functions/v1/chat`, {
        method: 'POST',
        headers: { ...(await authHeaders()), 'Content-Type': 'application/json', Accept: 'text/event-stream' },
        body: JSON.stringify(body),
        signal,
      });
      if (!response.ok) throw await fromFunctionResponse(response);
      if (!response.body || !(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
        // A server that answers JSON instead of a stream: treat it as one final message.
        const json = (await response.json()) as ChatResponse;
        handlers.onMessages?.({ user_message: json.user_message, assistant_message: json.assistant_message, replayed: json.replayed ?? false });
        if (json.assistant_message) handlers.onDone?.(json.assistant_message);
        return;
      }
      await readSse(response.body, ({ event, data }) => {
        const payload: unknown = JSON.parse(data);
        switch (event) {
          case 'message': handlers.onMessages?.(payload as ChatEvent<'message'>); break;
          case 'delta': handlers.onDelta?.((payload as ChatEvent<'delta'>).text); break;
          case 'tool_call': handlers.onToolCall?.(payload as ChatEvent<'tool_call'>); break;
          case 'done': handlers.onDone?.(payload as ChatEvent<'done'>); break;
          case 'error': {
            const detail = payload as ChatEvent<'error'>;
            handlers.onError?.(new ApiError(detail.message ?? 'The assistant could not answer.', { code: detail.code }));
            break;
          }
          default: break;
        }
      }, signal);
    },

    getArtifact: (artifactId: string) => rpc('get_artifact', { artifact_id: artifactId }),
    updateArtifact: (artifactId: string, changes: Record<string, unknown>, baseVersion: number) =>
      rpc('update_artifact', { artifact_id: artifactId, changes, base_version: baseVersion }),
    /** Approving, with the version shown (`baseVersion`): a draft changed since is refused (PT409), never approved unread. */
    approveArtifact: (artifactId: string, approved: boolean, baseVersion?: number) =>
      rpc('approve_artifact', { artifact_id: artifactId, approved, ...(approved && baseVersion !== undefined ? { base_version: baseVersion } : {}) }),

    listTasks: (args: RpcArgs<'list_tasks'> = {}) => rpc('list_tasks', args),
    /** With the key of the press it is sent for: the same key again answers what the first answered. */
    actOnTask: (taskId: string, action: string, params: Record<string, unknown>, idempotencyKey: string) =>
      rpc('act_on_task', { task_id: taskId, action, params, idempotency_key: idempotencyKey }),

    getPreferences: () => rpc('get_user_preferences'),
    updatePreferences: (changes: Partial<{ [G in keyof RpcResult<'get_user_preferences'>]: Partial<RpcResult<'get_user_preferences'>[G]> }>) =>
      rpc('update_user_preferences', { changes }),

    listNotifications: async (unreadOnly = false, pageSize = 30) =>
      (await rpc('list_notifications', { unread_only: unreadOnly, page_size: pageSize })).items,
    markNotificationsRead: (ids: string[]) => rpc('mark_notifications_read', { notification_ids: ids }),
  };
}

export type Api = ReturnType<typeof createApi>;
