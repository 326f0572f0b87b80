// The tools the model may ask for, run as the signed-in CSM (their RLS applies). This is
// the whole list: nothing here sends email or executes a saved action. `draft_email`
// stores an unapproved draft; `propose_action` stores a proposal that a person approves,
// edits or rejects (decide_proposal). Anything else the model asks for is refused and
// recorded as a failed call.
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import { HttpError } from '../http.ts';
import type { ToolCallRequest } from '../llm/types.ts';
import { rpc } from './rpc.ts';
import { ACTION_TYPES, TASK_PRIORITIES, TASK_TYPES } from '../admin/saved-action-config.ts';
import type { Artifact, ToolCallReport } from './types.ts';

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
}

export const TOOL_NAMES = ['get_customer_context', 'draft_email', 'create_task', 'propose_action'] as const;

const DraftEmail = z.object({
  to: z.union([z.string(), z.array(z.string())]).optional(),
  subject: z.string().trim().min(1, { message: 'subject is required' }).max(300),
  body: z.string().trim().min(1, { message: 'body is required' }).max(20_000),
});

const CreateTask = z.object({
  title: z.string().trim().min(1, { message: 'title is required' }).max(300),
  description: z.string().max(5_000).optional(),
  due_date: z.string().regex(/^\d{4}-\d{2}-\d{2}/, { message: 'due_date must be a date (YYYY-MM-DD)' }),
  priority: z.enum(TASK_PRIORITIES).optional(),
  task_type: z.enum(TASK_TYPES).optional(),
});

const ProposeAction = z.object({
  // Any saved action kind but `custom` (the kinds are defined once, in admin/saved-action-config.ts).
  action_key: z.enum(ACTION_TYPES).exclude(['custom']),
  reason: z.string().trim().min(1, { message: 'reason is required: why this action helps' }).max(2_000),
  params: z.record(z.string(), z.unknown()).optional(),
});

class ToolRefused extends Error {}

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) throw new ToolRefused(result.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '));
  return result.data;
}

async function run(call: ToolCallRequest, ctx: ToolContext): Promise<unknown> {
  switch (call.name) {
    case 'get_customer_context':
      return rpc(ctx.db, 'get_customer_context', { execution_id: ctx.executionId });

    case 'draft_email': {
      const input = parse(DraftEmail, call.arguments);
      const to = input.to === undefined ? [] : Array.isArray(input.to) ? input.to : [input.to];
      // An AI artifact is the assistant's own write (service role), tied to the reply being
      // answered and authored by the person it works for; people cannot create one.
      const artifact = await rpc<Artifact>(ctx.writer, 'create_assistant_artifact', {
        thread_id: ctx.threadId,
        message_id: ctx.assistantMessageId,
        author_id: ctx.authorId,
        artifact_type: 'email_draft',
        title: input.subject,
        content: { to, subject: input.subject, body: input.body },
        ai_model: ctx.model,
        ai_prompt: ctx.userPrompt,
      });
      return { artifact_id: artifact.id, title: artifact.title, version: artifact.version, approved: artifact.approved, sent: false };
    }

    case 'create_task': {
      const input = parse(CreateTask, call.arguments);
      if (!ctx.customerId) throw new ToolRefused('this workflow has no customer to attach a task to');
      const task = await rpc<{ id: string; title: string; due_date: string | null; priority: string }>(ctx.db, 'create_task', {
        title: input.title,
        customer_id: ctx.customerId,
        description: input.description ?? null,
        execution_id: ctx.executionId,
        task_type: input.task_type ?? 'follow_up',
        priority: input.priority ?? 'medium',
        due_date: input.due_date,
      });
      return { task_id: task.id, title: task.title, due_date: task.due_date, priority: task.priority };
    }

    case 'propose_action': {
      const input = parse(ProposeAction, call.arguments);
      // Stored as a proposal tied to this reply (service role, for the person the assistant
      // works for); it runs only when a person approves it (decide_proposal), never here.
      const proposal = await rpc<{ id: string; status: string; duplicate?: boolean }>(ctx.writer, 'propose_action', {
        action_key: input.action_key,
        rationale: input.reason,
        params: input.params ?? {},
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
        params: input.params ?? {},
        reason: input.reason,
      };
    }

    default:
      throw new ToolRefused(`"${call.name}" is not a tool the assistant may use`);
  }
}

/** Runs one tool call and records it (name, input, output, success, error, duration). */
export async function executeToolCall(call: ToolCallRequest, ctx: ToolContext): Promise<ToolCallReport> {
  const started = Date.now();
  let report: ToolCallReport;
  try {
    const output = await run(call, ctx);
    report = { name: call.name, input: call.arguments, output, success: true };
  } catch (error) {
    const message =
      error instanceof ToolRefused || error instanceof HttpError ? error.message : 'The tool failed unexpectedly.';
    if (!(error instanceof ToolRefused) && !(error instanceof HttpError)) console.error(error);
    report = { name: call.name, input: call.arguments, output: { error: message }, success: false, error: message };
  }
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
