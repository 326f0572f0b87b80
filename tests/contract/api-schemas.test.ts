// The API's schemas (functions-shared/api) against the real database: every public RPC is
// called on the demo data and a throwaway organisation (api-calls.ts) and what it returned
// is parsed with its result schema, so a field renamed, dropped or retyped in SQL fails
// here; the schemas' list of RPCs is the database's list of public functions; and the chat,
// execute-action and complete-thread functions answer (and stream) in their schemas.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ChatEvents, ChatRequestBody, ChatResponse, CompleteThreadResponse, ExecuteActionBody, ExecuteActionResponse, rpcs,
  type ChatEventName, type RpcName,
} from '../../functions-shared/api/index.ts';
import { rpc } from '../../functions-shared/api/rpc.ts';
import { readEvents } from '../../functions-shared/sse.ts';
import { stack, withDb } from '../support/stack.ts';
import { callEveryRpc, type Called } from './api-calls.ts';

let called: Called;
beforeAll(async () => {
  called = await callEveryRpc();
}, 120_000);
afterAll(async () => {
  await called?.fixture.remove();
});

const names = Object.keys(rpcs).sort() as RpcName[];

describe('every RPC result parses with its schema', () => {
  it.each(names)('%s', (name) => {
    const results = called.results.get(name);
    expect(results, `${name} was not called`).toBeDefined();
    for (const result of results!) {
      const parsed = rpcs[name].result.safeParse(result);
      expect(parsed.error?.issues ?? [], JSON.stringify(result).slice(0, 400)).toEqual([]);
    }
  });

  it('a list is seen with at least one element (an empty list would prove nothing)', () => {
    const empty = names.filter((name) => {
      const results = called.results.get(name) ?? [];
      const lists = results.map((r) => (Array.isArray(r) ? r : r && typeof r === 'object' && Array.isArray((r as { items?: unknown }).items) ? (r as { items: unknown[] }).items : null));
      return lists.some((l) => l !== null) && lists.every((l) => l === null || l.length === 0);
    });
    expect(empty).toEqual([]);
  });
});

describe('the schemas and the database agree on the RPCs', () => {
  it('every public function has a schema and every schema a public function, with the same arguments', async () => {
    const rows = await withDb(async (db) => (await db.query<{ name: string; args: string[] | null }>(
      `select p.proname as name, p.proargnames as args
         from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'public' and p.prokind = 'f'`)).rows);
    const inDatabase = Object.fromEntries(rows.map((r) => [r.name, [...(r.args ?? [])].sort()]));
    const inSchemas = Object.fromEntries(names.map((name) => [name, Object.keys(rpcs[name].args.shape).sort()]));
    expect(inSchemas).toEqual(inDatabase);
  });

  it('a renamed result field fails its schema', () => {
    const profile = called.results.get('get_my_profile')![0] as Record<string, unknown>;
    const { full_name, ...renamed } = profile;
    expect(rpcs.get_my_profile.result.safeParse(profile).success).toBe(true);
    expect(rpcs.get_my_profile.result.safeParse({ ...renamed, name: full_name }).success).toBe(false);
  });
});

describe('the Edge Functions answer in their schemas', () => {
  it('chat streams events that parse, and its JSON answer, execute-action\'s and complete-thread\'s parse', async () => {
    const csm = await called.fixture.signIn('csm');
    const token = (await csm.auth.getSession()).data.session!.access_token;
    const headers = { Authorization: `Bearer ${token}`, apikey: stack.anonKey, 'Content-Type': 'application/json' };
    const post = (name: string, body: unknown, accept = 'application/json') =>
      fetch(`${stack.url}/functions/v1/${name}`, { method: 'POST', headers: { ...headers, Accept: accept }, body: JSON.stringify(body) });
    const customerId = await called.fixture.customer('Functions Co');
    const execution = await rpc(csm, 'create_workflow_execution', { customer_id: customerId, workflow_key: 'risk-intervention' });
    const started = await rpc(csm, 'start_workflow', { execution_id: execution.id });
    const thread = await rpc(csm, 'create_chat_thread', { execution_id: execution.id, step_key: started.current_step!.key });

    const streamed = await post('chat', ChatRequestBody.parse({ thread_id: thread.id, content: 'How is this customer doing?', client_message_id: randomUUID() }), 'text/event-stream');
    expect(streamed.status).toBe(200);
    const seen: string[] = [];
    for await (const { event, data } of readEvents(streamed.body!)) {
      seen.push(event);
      const schema = ChatEvents[event as ChatEventName];
      expect(schema, `an event named ${event}`).toBeDefined();
      expect(schema.safeParse(data).error?.issues ?? [], `${event}: ${JSON.stringify(data).slice(0, 300)}`).toEqual([]);
    }
    expect(seen[0]).toBe('message');
    expect(seen).toContain('delta');
    expect(seen.at(-1)).toBe('done');

    const answered = await post('chat', ChatRequestBody.parse({ thread_id: thread.id, content: 'And the renewal?', client_message_id: randomUUID() }));
    expect(answered.status).toBe(200);
    expect(ChatResponse.safeParse(await answered.json()).error?.issues ?? []).toEqual([]);

    const acted = await post('execute-action', ExecuteActionBody.parse({
      action_key: 'create_task', execution_id: execution.id, params: { title: 'Send the deck', due_date: '2031-01-15T09:00:00Z' }, idempotency_key: randomUUID(),
    }));
    expect(acted.status).toBe(200);
    expect(ExecuteActionResponse.safeParse(await acted.json()).error?.issues ?? []).toEqual([]);

    const completed = await post('complete-thread', { thread_id: thread.id });
    expect(completed.status).toBe(200);
    expect(CompleteThreadResponse.safeParse(await completed.json()).error?.issues ?? []).toEqual([]);
  }, 60_000);
});
