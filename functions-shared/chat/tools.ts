// The tools the model may ask for, run as the signed-in CSM (their RLS applies). This is
// the whole list: nothing here sends email or executes a saved action. `draft_email`
// stores an unapproved draft; `propose_action` stores a proposal that a person approves,
// edits or rejects (decide_proposal). Anything else the model asks for is refused and
// recorded as a failed call.
//
// Direction: the tools' definitions (names, descriptions, JSON Schema of their input) have
// one source, the database's app.assistant_tools() (supabase/migrations/
// 20261204000800_chat_and_artifacts.sql), recorded with each
// thread as its LLM context. The model is offered the thread's recorded tools, and every
// call is validated here against that same recorded schema (zod derived from it with
// z.fromJSONSchema), so what the model is told and what the server accepts cannot differ.
// This file says only what each tool does (RUNNERS), never what its input looks like.
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import { HttpError } from '../http.ts';
import type { ToolCallRequest, ToolSpec } from '../llm/types.ts';
import { rpc } from '../api/rpc.ts';
import { fitTitle } from '../text.ts';
import { strictToolInput } from '../tool-input.ts';
import type { ToolCall } from '../api/shapes.ts';

export interface ToolContext {
  /** The caller: every tool runs under their RLS. */
  db: SupabaseClient;
  /** The service role: records the call (record_llm_tool_call is service-only). */
  writer: SupabaseClient;
  /** The signed-in person the assistant works for (the author of its drafts). */
  authorId: string;
  threadId: string;
  executionId: string;
  stepKey: string;
  customerId: string | null;
  assistantMessageId: string;
  /** The model that asked, recorded on what it creates. */
  model: string;
  /** The CSM's message the model was answering, recorded as the AI prompt of drafts. */
  userPrompt: string;
  /** The tools the thread offers the model (its recorded LLM context): what calls are checked against. */
  tools: ToolSpec[];
}

class ToolRefused extends Error {}

type Input = Record<string, unknown>;
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * Readable problems with a tool call's input against the tool's JSON Schema, or an empty list.
 * An argument the tool does not take is one (strictToolInput, the rule MCP's tools follow),
 * also for a thread whose tools were recorded before their schemas said so.
 */
export function toolInputProblems(spec: ToolSpec, input: unknown): string[] {
  const parsed = strictToolInput(z.fromJSONSchema(spec.function.parameters as Parameters<typeof z.fromJSONSchema>[0])).safeParse(input);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => {
    const where = issue.path.join('.') || 'input';
    return issue.code === 'invalid_type' && /received undefined$/.test(issue.message) ? `${where} is required` : `${where}: ${issue.message}`;
  });
}

/** What each tool does, given input already valid against its schema. */
const RUNNERS: Record<string, (input: Input, ctx: ToolContext) => Promise<unknown>> = {
  get_customer_context: (_input, ctx) => rpc(ctx.db, 'get_customer_context', { execution_id: ctx.executionId }),

  draft_email: async (input, ctx) => {
    const to = Array.isArray(input.to) ? input.to : input.to === undefined ? [] : [input.to];
    const subject = text(input.subject)!.trim();
    // An AI artifact is the assistant's own write (service role), tied to the reply being
    // answered and authored by the person it works for; people cannot create one.
    const artifact = await rpc(ctx.writer, 'create_assistant_artifact', {
      thread_id: ctx.threadId,
      message_id: ctx.assistantMessageId,
      author_id: ctx.authorId,
      artifact_type: 'email_draft',
      // The draft's title is the system's, made from the assistant's subject.
      title: fitTitle(subject),
      content: { to, subject, body: text(input.body)!.trim() },
      ai_model: ctx.model,
      ai_prompt: ctx.userPrompt,
    });
    return { artifact_id: artifact.id, title: artifact.title, version: artifact.version, approved: artifact.approved, sent: false };
  },

  create_task: async (input, ctx) => {
    if (!ctx.customerId) throw new ToolRefused('this workflow has no customer to attach a task to');
    // Left out, the type and priority are create_task's own defaults for the assistant.
    const task = await rpc(ctx.db, 'create_task', {
      title: fitTitle(text(input.title)!.trim()),
      customer_id: ctx.customerId,
      description: text(input.description) ?? null,
      execution_id: ctx.executionId,
      task_type: text(input.task_type) ?? 'follow_up',
      priority: text(input.priority) ?? 'medium',
      due_date: text(input.due_date),
    });
    return { task_id: task.id, title: task.title, due_date: task.due_date, priority: task.priority };
  },

  propose_action: async (input, ctx) => {
    const reason = text(input.reason)!.trim();
    const params = (input.params ?? {}) as Input;
    // Stored as a proposal tied to this reply (service role, for the person the assistant
    // works for); it runs only when a person approves it (decide_proposal), never here.
    const proposal = await rpc(ctx.writer, 'propose_action', {
      action_key: input.action_key as string,
      rationale: reason,
      params,
      thread_id: ctx.threadId,
      message_id: ctx.assistantMessageId,
      author_id: ctx.authorId,
      source: 'thread',
    });
    return {
      proposed: true,
      executed: false,
      proposal_id: proposal.id,
      status: proposal.status,
      action_key: input.action_key,
      execution_id: ctx.executionId,
      params,
      reason,
    };
  },
};

/** The tools this server knows how to run (the thread's recorded tools must be among them). */
export const TOOL_NAMES = Object.keys(RUNNERS);

async function run(call: ToolCallRequest, ctx: ToolContext): Promise<unknown> {
  const spec = ctx.tools.find((tool) => tool.function.name === call.name);
  const runner = Object.hasOwn(RUNNERS, call.name) ? RUNNERS[call.name] : undefined;
  if (!spec || !runner) throw new ToolRefused(`"${call.name}" is not a tool the assistant may use`);
  const problems = toolInputProblems(spec, call.arguments);
  if (problems.length > 0) throw new ToolRefused(problems.join('; '));
  return runner(call.arguments, ctx);
}

/** Runs one tool call and records it (name, input, output, success, error, duration). */
export async function executeToolCall(call: ToolCallRequest, ctx: ToolContext): Promise<ToolCall> {
  const started = Date.now();
  let report: ToolCall;
  try {
    const output = await run(call, ctx);
    report = { name: call.name, input: call.arguments, output: output as ToolCall['output'], success: true };
  } catch (error) {
    // The database's hint goes back too: it is what tells the model how to correct its call
    // (e.g. the parameters an action takes).
    const hint = error instanceof HttpError && typeof error.details === 'string' ? ` (${error.details})` : '';
    const message =
      error instanceof ToolRefused || error instanceof HttpError ? `${error.message}${hint}` : 'The tool failed unexpectedly.';
    if (!(error instanceof ToolRefused) && !(error instanceof HttpError)) console.error(error);
    report = failedCall(call, message);
  }
  return recordToolCall(call, report, ctx, started);
}

/** Records a tool call that is not run (why, in `reason`), as every call the model asks for is recorded. */
export function refuseToolCall(call: ToolCallRequest, ctx: ToolContext, reason: string): Promise<ToolCall> {
  return recordToolCall(call, failedCall(call, reason), ctx, Date.now());
}

function failedCall(call: ToolCallRequest, message: string): ToolCall {
  return { name: call.name, input: call.arguments, output: { error: message }, success: false, error: message };
}

async function recordToolCall(call: ToolCallRequest, report: ToolCall, ctx: ToolContext, started: number): Promise<ToolCall> {
  await rpc(ctx.writer, 'record_llm_tool_call', {
    thread_id: ctx.threadId,
    message_id: ctx.assistantMessageId,
    tool_name: call.name || 'unnamed',
    tool_input: call.arguments,
    tool_output: report.output ?? null,
    success: report.success,
    error_message: report.error ?? null,
    duration_ms: Date.now() - started,
  });
  return report;
}
