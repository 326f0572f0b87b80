// The tools an AI agent gets through the `mcp` function. Each one is a single RPC run with
// the person's own token, so the database's row-level security decides what the agent sees
// and does — exactly what that person could do in the web app, nothing more.
//
// What is deliberately missing: sending mail, running a saved action, approving an
// artifact, deciding a proposal, or changing anyone else's work. An agent can read, draft,
// log and PROPOSE; a person decides (docs/agents.md). Text that customers or colleagues
// wrote comes back inside JSON as data, never as instructions to the agent.
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import { rpc } from '../api/rpc.ts';
import { SEARCH_HISTORY_MAX_RESULTS, TimelineKind } from '../api/customers.ts';
import { ACTION_TYPES } from '../admin/saved-action-config.ts';
import { isBlankText } from '../text.ts';
import { displayable } from '../api/displayable.ts';
import { requestKey } from '../api/functions.ts';

export interface AgentContext {
  /** supabase-js acting as the signed-in person (their JWT on every call), attested as the agent's. */
  db: SupabaseClient;
}

export interface AgentTool<Shape extends z.ZodRawShape> {
  name: string;
  title: string;
  /** Written for a model: when to use it and what comes back. */
  description: string;
  input: Shape;
  /** True for tools that only read; the others write something a person will review. */
  readOnly: boolean;
  run: (ctx: AgentContext, input: z.infer<z.ZodObject<Shape>>) => Promise<unknown>;
}

// Any 8-4-4-4-12 hex id (z.guid): Postgres accepts ids that are not RFC 4122 variants too.
const uuid = (what: string) => z.guid({ message: `${what} must be a UUID` });
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date (YYYY-MM-DD)' });
const pageSize = z.number().int().min(1).max(100).optional();
// Text an agent writes must say something: without the whitespace around it, and not only
// whitespace or invisible characters (a zero-width space is as blank as a space: the
// database's rule, mirrored in text.ts). The database refuses blank drafted text too.
// A title or a subject is one line; a summary, a body or a rationale may hold several. Neither
// holds a control character or a text-direction override (api/displayable.ts).
const visibleText = (max: number, lines: 'one' | 'several' = 'several') => displayable(z.string().trim().min(1).max(max)
  .refine((value) => !isBlankText(value), { message: 'must not be blank (only whitespace or invisible characters)' }),
  { multiLine: lines === 'several' });
// Every saved action kind but `custom` can be proposed (the kinds are defined once, with
// their configs, in admin/saved-action-config.ts).
const PROPOSABLE_ACTIONS = z.enum(ACTION_TYPES).exclude(['custom']);
// An agent retries a call whose answer it lost; with the same key the database answers what
// the first call made instead of making it again (and a key reused for another request is
// refused, PT409). Optional, as it is for the web app's calls.
const onceKey = requestKey('idempotency_key').optional()
  .describe('Optional: any text unique to this request (e.g. a UUID). Send the same value when you retry the same call, so it is applied once.');

function define<Shape extends z.ZodRawShape>(tool: AgentTool<Shape>): AgentTool<Shape> {
  return tool;
}

export const AGENT_TOOLS = [
  define({
    name: 'get_queue',
    title: 'My work queue',
    description: 'The signed-in CSM\'s queue of open workflows, most urgent first (lane now → soon → planned, then priority score). '
      + 'Each item has the customer, workflow type, renewal stage, decision date and why it ranks where it does. '
      + 'Filter by lanes, types, stages, plans or a search on customer name/domain; page with the returned next_cursor.',
    readOnly: true,
    input: {
      lanes: z.array(z.enum(['now', 'soon', 'planned'])).optional(),
      types: z.array(z.string().max(100)).max(20).optional(),
      stages: z.array(z.string().max(50)).max(20).optional(),
      plans: z.array(z.string().max(50)).max(20).optional(),
      search: z.string().max(200).optional(),
      page_size: pageSize,
      cursor: z.string().max(500).optional(),
    },
    run: ({ db }, input) => rpc(db, 'get_workflow_queue', {
      page_size: input.page_size ?? 25,
      cursor: input.cursor ?? null,
      filters: Object.fromEntries(Object.entries({ lanes: input.lanes, types: input.types, stages: input.stages, plans: input.plans, search: input.search })
        .filter(([, value]) => value !== undefined)),
    }),
  }),
  define({
    name: 'get_customer',
    title: 'Customer context',
    description: 'Everything Renubu knows about one customer: ARR and plan, renewal and notice dates, health, usage and engagement trends, '
      + 'stakeholders, open workflows and the account team. Use before advising on or drafting for a customer.',
    readOnly: true,
    input: { customer_id: uuid('customer_id') },
    run: ({ db }, input) => rpc(db, 'get_customer_context', { customer_id: input.customer_id }),
  }),
  define({
    name: 'search_customer_history',
    title: 'Search a customer\'s history',
    description: 'Full-text search over one customer\'s notes, calls, meetings, tickets, sent emails, approved documents, chat summaries and contract text. '
      + 'Returns ranked passages with source kind, id and date: cite them; if nothing matches, say so rather than guess.',
    readOnly: true,
    // The RPC's limit, and its default when max_results is left out: one of each.
    input: { customer_id: uuid('customer_id'), query: visibleText(500), max_results: z.number().int().min(1).max(SEARCH_HISTORY_MAX_RESULTS).optional() },
    run: ({ db }, input) => rpc(db, 'search_customer_history', {
      customer_id: input.customer_id, query: input.query, ...(input.max_results === undefined ? {} : { max_results: input.max_results }),
    }),
  }),
  define({
    name: 'get_customer_timeline',
    title: 'Customer timeline',
    description: 'What happened with a customer, newest first: engagement (notes, calls, meetings, emails, tickets), workflows started and completed, '
      + 'actions, emails sent, documents approved, stage, plan and forecast changes, renewal outcomes. Page with next_cursor; narrow with kinds.',
    readOnly: true,
    input: { customer_id: uuid('customer_id'), page_size: pageSize, cursor: z.string().max(500).optional(), kinds: z.array(TimelineKind).max(20).optional() },
    run: ({ db }, input) => rpc(db, 'get_customer_timeline', {
      customer_id: input.customer_id, page_size: input.page_size ?? 25, cursor: input.cursor ?? null, kinds: input.kinds ?? null,
    }),
  }),
  define({
    name: 'list_tasks',
    title: 'My tasks',
    description: 'The signed-in person\'s tasks (status active by default: pending, in progress or snoozed), with customer and due date. '
      + 'Optionally only one customer\'s or one workflow\'s.',
    readOnly: true,
    input: {
      status: z.enum(['active', 'completed', 'all']).optional(),
      customer_id: uuid('customer_id').optional(),
      execution_id: uuid('execution_id').optional(),
      page_size: pageSize,
      cursor: z.string().max(500).optional(),
    },
    run: ({ db }, input) => rpc(db, 'list_tasks', {
      status: input.status ?? 'active', customer_id: input.customer_id ?? null, execution_id: input.execution_id ?? null,
      page_size: input.page_size ?? 50, cursor: input.cursor ?? null,
    }),
  }),
  define({
    name: 'create_task',
    title: 'Create a task',
    description: 'Creates a follow-up task for the signed-in person on a customer (optionally tied to one of its workflows). '
      + 'Use for concrete next steps with a due date; the person sees it in their task list.',
    readOnly: false,
    input: {
      customer_id: uuid('customer_id'),
      title: visibleText(300, 'one'),
      due_date: isoDate,
      description: z.string().max(5_000).optional(),
      execution_id: uuid('execution_id').optional(),
      // The known keys are the database's (list_task_options); create_task refuses others.
      priority: z.string().max(50).optional().describe('A task priority key from list_task_options, e.g. high'),
      task_type: z.string().max(50).optional().describe('A task type key from list_task_options, e.g. follow_up'),
      idempotency_key: onceKey,
    },
    // Always the caller's own task: an agent never assigns work to someone else.
    run: ({ db }, input) => rpc(db, 'create_task', {
      title: input.title, customer_id: input.customer_id, description: input.description ?? null,
      execution_id: input.execution_id ?? null, task_type: input.task_type ?? 'follow_up',
      priority: input.priority ?? 'medium', due_date: input.due_date, assigned_to: null,
      idempotency_key: input.idempotency_key ?? null,
    }),
  }),
  define({
    name: 'log_engagement',
    title: 'Log a note, call or meeting',
    description: 'Records an interaction with a customer in their timeline and history (kind note, call, meeting or email), '
      + 'with when it happened and a short factual summary. Only log what the person told you happened.',
    readOnly: false,
    input: {
      customer_id: uuid('customer_id'),
      kind: z.enum(['note', 'call', 'meeting', 'email']),
      summary: visibleText(4_000),
      occurred_at: z.string().datetime({ offset: true }).optional(),
      idempotency_key: onceKey,
    },
    // Stored as the agent's by the database, from the server's attestation of this call
    // (attestation.ts): details.logged_by_agent is never sent, and refused when it is.
    run: ({ db }, input) => rpc(db, 'log_engagement', {
      customer_id: input.customer_id, kind: input.kind, occurred_at: input.occurred_at ?? new Date().toISOString(),
      summary: input.summary, details: {},
      idempotency_key: input.idempotency_key ?? null,
    }),
  }),
  define({
    name: 'draft_email',
    title: 'Draft an email',
    description: 'Saves an email draft on one of the person\'s workflows for them to review, edit and approve in Renubu. '
      + 'It is NOT sent: sending needs the person (and, where the organisation requires it, an approval).',
    readOnly: false,
    input: {
      execution_id: uuid('execution_id'),
      to: z.array(z.string().email()).max(20).optional(),
      subject: visibleText(300, 'one'),
      body: visibleText(20_000),
      idempotency_key: onceKey,
    },
    // The agent the draft is recorded as is the database's, from the attestation (attestation.ts).
    run: ({ db }, input) => rpc(db, 'create_agent_draft', {
      execution_id: input.execution_id,
      artifact_type: 'email_draft',
      title: input.subject,
      content: { to: input.to ?? [], subject: input.subject, body: input.body },
      idempotency_key: input.idempotency_key ?? null,
    }),
  }),
  define({
    name: 'propose_action',
    title: 'Propose an action',
    description: 'Suggests an action on a workflow (snooze, skip, escalate, schedule_meeting, send_email, create_task) with your reasoning. '
      + 'It does NOT execute: it waits for the person to approve, edit or reject it in Renubu. Explain why in rationale. '
      + 'Give what the action needs to run, or the proposal is refused naming what is missing: snooze {days, reason}, skip {reason}, '
      + 'escalate {reason, level}, schedule_meeting {scheduled_at (ISO 8601, to come), duration_minutes, attendees}, '
      + 'send_email {artifact_id of a draft of the workflow}, create_task {due_date, title}.',
    readOnly: false,
    input: {
      execution_id: uuid('execution_id'),
      action_key: PROPOSABLE_ACTIONS,
      params: z.record(z.string(), z.unknown()).optional(),
      rationale: visibleText(2_000),
    },
    // With the person's own token: stored only as an agent's proposal, for them, on a
    // workflow they may work on (propose_action checks all three before storing anything).
    run: ({ db }, input) => rpc(db, 'propose_action', {
      execution_id: input.execution_id, action_key: input.action_key, params: input.params ?? {},
      rationale: input.rationale, source: 'agent',
    }),
  }),
  define({
    name: 'get_daily_brief',
    title: 'Daily brief',
    description: 'The person\'s morning brief: their top items and why, and what changed since the last brief (stage changes, health or usage drops, '
      + 'new tickets, notice deadlines within 14 days, tasks due, proposals waiting). Each sentence names the facts it rests on.',
    readOnly: true,
    input: { brief_date: isoDate.optional() },
    run: ({ db }, input) => rpc(db, 'get_daily_brief', { brief_date: input.brief_date ?? null }),
  }),
  define({
    name: 'get_renewal_forecast',
    title: 'Renewal forecast',
    description: 'Renewals whose renewal date falls in [period_start, period_end): totals by forecast category (commit, probable, at_risk, churn_expected) '
      + 'with count, current and forecast ARR, by month, and the renewals behind them. Managers may pass a CSM\'s assignee_id.',
    readOnly: true,
    input: { period_start: isoDate, period_end: isoDate, assignee_id: uuid('assignee_id').optional() },
    run: ({ db }, input) => rpc(db, 'get_renewal_forecast', {
      period_start: input.period_start, period_end: input.period_end, assignee_id: input.assignee_id ?? null,
    }),
  }),
];

export const AGENT_TOOL_NAMES = AGENT_TOOLS.map((tool) => tool.name);
