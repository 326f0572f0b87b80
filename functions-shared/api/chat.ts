// Chat threads and messages, the assistant's writes, branches, artifacts.
import { z } from 'zod';
import { ActionOutcome } from './actions.ts';
import { JsonArg, JsonObject, JsonValue } from './json.ts';
import { Artifact, ChatMessage, ExecutionBranch, ChatThread, ExecutionState, StepBranch, StepState, StoredToolCall } from './shapes.ts';

/** A tool offered to the model, in the JSON Schema form LLM APIs take. */
export const ToolSpec = z.object({
  type: z.literal('function'),
  function: z.object({
    name: z.string(),
    description: z.string(),
    /** A JSON Schema object (app.assistant_tools() in SQL is the source). */
    parameters: z.object({
      type: z.literal('object'),
      properties: z.record(z.string(), JsonObject),
      required: z.array(z.string()).optional(),
      /** false: no argument but those named (strictToolInput); absent in tools recorded before 20261208101000. */
      additionalProperties: z.literal(false).optional(),
    }),
  }),
});
export type ToolSpec = z.infer<typeof ToolSpec>;

/** What the model is given for a thread, recorded when the thread is created. */
export const LlmContext = z.object({
  system_prompt: z.string(),
  tools: z.array(ToolSpec),
  customer_context: JsonObject,
  model: z.string(),
  temperature: z.number().nullable(),
  max_tokens: z.number().nullable(),
});
export type LlmContext = z.infer<typeof LlmContext>;

/** A passage of the customer's history put in the prompt (a rag thread's matches, the latest contacts). */
export const HistoryPassage = z.object({
  source_kind: z.string(),
  /** An engagement's type (call, support_ticket…), else null (app.history_source_subtype). */
  source_subtype: z.string().nullable().optional(),
  source_id: z.string(),
  occurred_at: z.string(),
  title: z.string(),
  text: z.string(),
  /** True when it matched the question (rag); false for the latest contacts. */
  matched: z.boolean(),
  rank: z.number().optional(),
});
export type HistoryPassage = z.infer<typeof HistoryPassage>;

/** What post_chat_message loads for the model in the same round trip (a new exchange only). */
export const PromptInputs = z.object({
  thread_type: z.string(),
  branch_key: z.string().nullable(),
  execution_id: z.string(),
  step_key: z.string(),
  customer_id: z.string().nullable(),
  llm_context: LlmContext.nullable(),
  /** Earlier turns: questions, and answers that completed. */
  history: z.array(z.object({ role: z.enum(['user', 'assistant']), content: z.string() })),
  passages: z.array(HistoryPassage),
});
export type PromptInputs = z.infer<typeof PromptInputs>;

export const approve_artifact = {
  args: z.object({
    approved: z.boolean().nullish(),
    artifact_id: z.string(),
    base_version: z.number().nullish(),
  }),
  result: Artifact,
};

export const choose_chat_branch = {
  args: z.object({
    branch_key: z.string(),
    execution_id: z.string(),
    idempotency_key: z.string().nullish(),
    params: JsonArg.nullish(),
    step_key: z.string(),
  }),
  result: z.object({
    /**
     * Where the workflow went: a jump (from, to, the steps skipped), the next step (and
     * whether that completed the workflow), or nowhere (`stay`); null on a replay.
     */
    route: z.object({
      moved: z.boolean(),
      from: z.string().optional(),
      to: z.string().nullable().optional(),
      direction: z.enum(['forward', 'backward', 'stay', 'next']),
      skipped: z.array(z.string()),
      workflow_completed: z.boolean().optional(),
    }).nullable(),
    /** A saved-action branch: the action it ran. */
    action: ActionOutcome.nullable(),
    branch: ExecutionBranch.pick({ key: true, type: true, label: true }),
    replayed: z.boolean(),
    step_key: z.string(),
    execution: ExecutionState,
    response_text: z.string().nullable(),
  }),
};

export const complete_chat_thread = {
  args: z.object({
    thread_id: z.string(),
  }),
  result: z.object({
    step: StepState.extend({
      token_count: z.number().nullable(),
      completed_at: z.string().nullable(),
      message_count: z.number().nullable(),
      duration_seconds: z.number().nullable(),
    }).nullable(),
    thread: ChatThread,
    next_step: StepState.nullable(),
    already_completed: z.boolean(),
  }),
};

/**
 * Service role only (the mcp function): the hex secret it proves an agent's calls with
 * (x-renubu-agent-proof; functions-shared/mcp/attestation.ts, docs/agents.md "Who logged it").
 */
export const agent_attestation_key = {
  args: z.object({}),
  result: z.string().regex(/^[0-9a-f]{64}$/),
};

export const create_agent_draft = {
  args: z.object({
    // Not read: the agent is the MCP server's attestation (docs/agents.md "Who logged it").
    agent_name: z.string().nullish(),
    artifact_type: z.string(),
    content: JsonArg,
    execution_id: z.string(),
    idempotency_key: z.string().nullish(),
    title: z.string(),
  }),
  result: Artifact,
};

export const create_artifact = {
  args: z.object({
    ai_model: z.string().nullish(),
    ai_prompt: z.string().nullish(),
    artifact_type: z.string(),
    content: JsonArg,
    execution_id: z.string(),
    generated_by: z.string().nullish(),
    metadata: JsonArg.nullish(),
    step_key: z.string().nullish(),
    task_id: z.string().nullish(),
    thread_id: z.string().nullish(),
    title: z.string(),
  }),
  result: Artifact,
};

export const create_assistant_artifact = {
  args: z.object({
    ai_model: z.string(),
    ai_prompt: z.string().nullish(),
    artifact_type: z.string(),
    author_id: z.string(),
    content: JsonArg,
    message_id: z.string().nullish(),
    metadata: JsonArg.nullish(),
    thread_id: z.string(),
    title: z.string(),
  }),
  result: Artifact,
};

export const create_chat_thread = {
  args: z.object({
    branch_key: z.string().nullish(),
    execution_id: z.string(),
    idempotency_key: z.string().nullish(),
    step_key: z.string(),
    thread_type: z.string().nullish(),
  }),
  result: ChatThread.extend({
    messages: z.array(ChatMessage),
    branch_key: z.string().nullable(),
    llm_context: LlmContext,
    allow_off_script: z.boolean(),
  }),
};

export const delete_artifact = {
  args: z.object({
    artifact_id: z.string(),
  }),
  result: z.object({
    id: z.string(),
    deleted: z.boolean(),
  }),
};

export const finish_chat_message = {
  args: z.object({
    content: z.string(),
    message_id: z.string(),
    metadata: JsonArg.nullish(),
    model: z.string().nullish(),
    status: z.string(),
    thread_id: z.string(),
    tokens_in: z.number().nullish(),
    tokens_out: z.number().nullish(),
  }),
  result: ChatMessage,
};

export const get_artifact = {
  args: z.object({
    artifact_id: z.string(),
  }),
  result: Artifact.extend({
    versions: z.array(z.object({
      title: z.string(),
      content: JsonObject,
      version: z.number(),
      metadata: JsonObject,
      edited_by: z.string().nullable(),
      created_at: z.string(),
    })),
  }),
};

export const get_chat_thread = {
  args: z.object({
    thread_id: z.string(),
  }),
  result: ChatThread.extend({
    messages: z.array(ChatMessage),
    tool_calls: z.array(StoredToolCall),
    llm_context: LlmContext.nullable(),
  }),
};

export const get_step_chat_branches = {
  args: z.object({
    step_key: z.string(),
    workflow_key: z.string(),
  }),
  result: z.array(StepBranch),
};

export const list_artifacts = {
  args: z.object({
    artifact_type: z.string().nullish(),
    execution_id: z.string().nullish(),
    task_id: z.string().nullish(),
  }),
  result: z.array(Artifact),
};

export const list_chat_messages = {
  args: z.object({
    after_sequence: z.number().nullish(),
    page_size: z.number().nullish(),
    thread_id: z.string(),
  }),
  result: z.object({
    messages: z.array(ChatMessage),
    next_after_sequence: z.number().nullable(),
  }),
};

export const post_chat_message = {
  args: z.object({
    client_message_id: z.string(),
    content: z.string(),
    thread_id: z.string(),
  }),
  result: z.object({
    /** Absent on a replay (the same client_message_id again): the stored pair only. */
    prompt: PromptInputs.optional(),
    replayed: z.boolean(),
    user_message: ChatMessage,
    assistant_message: ChatMessage.nullable(),
  }),
};

export const record_llm_tool_call = {
  args: z.object({
    duration_ms: z.number().nullish(),
    error_message: z.string().nullish(),
    message_id: z.string(),
    success: z.boolean(),
    thread_id: z.string(),
    tool_input: JsonArg,
    tool_name: z.string(),
    tool_output: z.unknown(),
  }),
  result: StoredToolCall.extend({
    thread_id: z.string(),
  }),
};

export const update_artifact = {
  args: z.object({
    artifact_id: z.string(),
    base_version: z.number(),
    changes: JsonArg,
  }),
  result: Artifact.extend({
    approval_withdrawn: z.boolean(),
  }),
};
