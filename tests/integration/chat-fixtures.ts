// Fixtures for the assistant's integration tests: a fresh customer and a started
// workflow for the signed-in CSM (so tests never collide with each other or the seed),
// a chat thread on its current step, and an SSE client for /functions/v1/chat.
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { readEvents } from '../../functions-shared/sse.ts';
import { stack, withDb } from '../support/stack.ts';

export interface Fixture {
  customerId: string;
  executionId: string;
  stepKey: string;
  threadId: string;
}

export interface FixtureOptions {
  customerName?: string;
  /** Planted into the customer's stakeholder title and industry (prompt-injection tests). */
  plantedText?: string;
  workflowKey?: string;
}

async function must<T>(promise: PromiseLike<{ data: T | null; error: unknown }>): Promise<T> {
  const { data, error } = await promise;
  if (error) throw new Error(`fixture RPC failed: ${JSON.stringify(error)}`);
  return data as T;
}

/** A new customer assigned to the caller, an open and started workflow, and a thread on its current step. */
export async function freshChat(client: SupabaseClient, options: FixtureOptions = {}): Promise<Fixture> {
  const me = await must<{ id: string; org_id: string }>(client.rpc('get_my_profile'));
  const name = options.customerName ?? `Chatty Co ${randomUUID().slice(0, 8)}`;
  const customerId = await withDb(async (db) => {
    const { rows } = await db.query<{ id: string }>(
      `insert into app.customers (org_id, name, domain, industry, arr, health_score, renewal_date, assigned_to, risk_score, opportunity_score)
       values ($1, $2, 'chatty.example', $3, 175000, 68, current_date + 21, $4, 72, 40) returning id`,
      [me.org_id, name, options.plantedText ?? 'Software', me.id],
    );
    const id = rows[0]!.id;
    await db.query(
      `insert into app.stakeholders (org_id, customer_id, name, email, title, is_champion, is_decision_maker, influence)
       values ($1, $2, 'Chris Champion', 'chris@chatty.example', $3, true, false, 'high'),
              ($1, $2, 'Dana Decider', 'dana@chatty.example', 'CFO', false, true, 'high')`,
      [me.org_id, id, options.plantedText ?? 'Head of Operations'],
    );
    return id;
  });
  // Arranged in SQL like the orchestrator does it (a queued execution with its step rows);
  // starting it goes through the API as the CSM would.
  const execution = await withDb(async (db) => {
    const { rows } = await db.query<{ id: string }>(
      `with w as (
         select w.id, v.id as version_id, jsonb_array_length(v.config -> 'steps') as steps
           from app.workflows w join app.workflow_versions v on v.workflow_id = w.id and v.version = w.current_version
          where w.key = $3 and w.org_id is null)
       insert into app.workflow_executions (org_id, customer_id, workflow_id, workflow_version_id, assigned_to, total_steps, trigger_reason)
       select $1, $2, w.id, w.version_id, $4, w.steps, 'test fixture' from w
       returning id`,
      [me.org_id, customerId, options.workflowKey ?? 'risk-assessment', me.id],
    );
    await db.query('select app.create_step_rows(array[$1::uuid])', [rows[0]!.id]);
    return rows[0]!;
  });
  await must(client.rpc('start_workflow', { execution_id: execution.id }));
  const stepKey = await withDb(async (db) => {
    const { rows } = await db.query<{ current_step_key: string }>(
      'select current_step_key from app.workflow_executions where id = $1',
      [execution.id],
    );
    return rows[0]!.current_step_key;
  });
  const thread = await must<{ id: string }>(client.rpc('create_chat_thread', { execution_id: execution.id, step_key: stepKey }));
  return { customerId, executionId: execution.id, stepKey, threadId: thread.id };
}

export async function accessToken(client: SupabaseClient): Promise<string> {
  const { data } = await client.auth.getSession();
  if (!data.session) throw new Error('not signed in');
  return data.session.access_token;
}

export interface SseEvent {
  event: string;
  data: any;
}

/** Collects every event of a streamed response, in order. */
export async function allEvents(response: Response): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  if (!response.body) throw new Error(`no body (status ${response.status})`);
  for await (const e of readEvents(response.body)) events.push(e as SseEvent);
  return events;
}

/** A Request for the chat handler as the gateway would pass it (for in-process tests). */
export function chatRequest(token: string, body: unknown, stream = true): Request {
  return new Request('http://functions.local/chat', {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
      ...(stream ? { Accept: 'text/event-stream' } : {}),
    },
    body: JSON.stringify(body),
  });
}

/** The environment an Edge Function gets from the gateway. */
export function functionEnv(extra: Record<string, string> = {}) {
  return {
    SUPABASE_URL: stack.url,
    SUPABASE_ANON_KEY: stack.anonKey,
    SUPABASE_SERVICE_ROLE_KEY: stack.serviceRoleKey,
    SUPABASE_DB_URL: stack.dbUrl,
    ...extra,
  };
}

export async function messagesOf(threadId: string) {
  return withDb(async (db) => {
    const { rows } = await db.query<{ role: string; status: string; content: string; error_message: string | null; sequence: number; model: string | null; tokens_in: number | null; tokens_out: number | null }>(
      'select role, status, content, error_message, sequence, model, tokens_in, tokens_out from app.workflow_chat_messages where thread_id = $1 order by sequence',
      [threadId],
    );
    return rows;
  });
}
