// The assistant's tools are defined once, in SQL (app.assistant_tools(), recorded with each
// thread). The model is sent exactly the thread's recorded tools, and the chat function
// validates each call against that same schema: a value the schema offers runs, one it
// does not offer is refused, whatever TypeScript might have listed. The enums inside are
// the task-type and priority lookups (list_task_options) and the core saved actions.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { handleChat } from '../../functions-shared/chat/handler.ts';
import { TOOL_NAMES, toolInputProblems } from '../../functions-shared/chat/tools.ts';
import { TaskOptions } from '../../functions-shared/admin/saved-action-config.ts';
import { envFrom } from '../../functions-shared/http.ts';
import { OllamaProvider } from '../../functions-shared/llm/index.ts';
import type { ToolSpec } from '../../functions-shared/llm/types.ts';
import { startFakeOllama, type FakeOllama } from '../support/fake-ollama.ts';
import { signedInAs, withDb } from '../support/stack.ts';
import { accessToken, allEvents, chatRequest, freshChat, functionEnv } from './chat-fixtures.ts';

let csm: SupabaseClient;
let token: string;
let fake: FakeOllama;
let tools: ToolSpec[];
let options: TaskOptions;

const spec = (name: string) => tools.find((tool) => tool.function.name === name)!;
const properties = (name: string) => spec(name).function.parameters.properties as Record<string, { enum?: string[] }>;

beforeAll(async () => {
  csm = await signedInAs('csm');
  token = await accessToken(csm);
  fake = await startFakeOllama();
  ({ tools, options } = await withDb(async (db) => {
    const { rows } = await db.query('select app.assistant_tools() as tools, public.list_task_options() as options');
    return { tools: rows[0].tools as ToolSpec[], options: TaskOptions.parse(rows[0].options) };
  }));
});
afterAll(() => fake.close());

describe('the assistant\'s tools: one definition', () => {
  it('the server runs exactly the tools SQL defines, with the lookups\' enums', async () => {
    expect(tools.map((tool) => tool.function.name).sort()).toEqual([...TOOL_NAMES].sort());
    expect(properties('create_task').task_type!.enum).toEqual(options.task_types.map((type) => type.key));
    expect(properties('create_task').priority!.enum).toEqual(options.priorities.map((priority) => priority.key));
    const core = await withDb(async (db) => (await db.query<{ key: string }>(
      "select key from app.saved_actions where org_id is null and action_type <> 'custom' order by key")).rows.map((row) => row.key));
    expect(properties('propose_action').action_key!.enum).toEqual(core);
  });

  it('a call is checked against the schema it was given', () => {
    const cases: [string, Record<string, unknown>, boolean][] = [
      ['create_task', { title: 'Call the CFO', due_date: '2030-01-01', task_type: 'follow_up', priority: 'high' }, true],
      ['create_task', { title: 'Call the CFO', due_date: '2030-01-01', task_type: 'site_visit' }, false],
      ['create_task', { title: '   ', due_date: '2030-01-01' }, false],
      ['create_task', { title: 'Call', due_date: 'next week' }, false],
      ['create_task', { due_date: '2030-01-01' }, false],
      ['draft_email', { to: ['a@x.example'], subject: 'Renewal', body: 'Hi' }, true],
      ['draft_email', { to: 'a@x.example', subject: 'Renewal', body: 'Hi' }, true],
      ['draft_email', { subject: 'Renewal', body: '' }, false],
      ['propose_action', { action_key: 'snooze', reason: 'Waiting for the customer' }, true],
      ['propose_action', { action_key: 'custom', reason: 'x' }, false],
      ['propose_action', { action_key: 'execute_action', reason: 'x' }, false],
      ['get_customer_context', {}, true],
    ];
    expect(cases.filter(([name, input, valid]) => (toolInputProblems(spec(name), input).length === 0) !== valid)).toEqual([]);
    expect(toolInputProblems(spec('create_task'), { due_date: '2030-01-01' })).toEqual(['title is required']);

    // The same check follows the schema, not a list of its own: a type the schema offers is accepted.
    const widened = structuredClone(spec('create_task'));
    (widened.function.parameters.properties.task_type as { enum: string[] }).enum.push('site_visit');
    expect(toolInputProblems(widened, { title: 'Visit', due_date: '2030-01-01', task_type: 'site_visit' })).toEqual([]);
  });

  it('a call with an argument its tool does not take is refused naming it, as an MCP agent\'s is, and the schema says so', async () => {
    expect(tools.filter((tool) => tool.function.parameters.additionalProperties !== false).map((tool) => tool.function.name)).toEqual([]);
    const fx = await freshChat(csm);
    const title = `Hand the deck over ${randomUUID().slice(0, 8)}`;
    fake.script(
      { kind: 'stream', chunks: [], toolCalls: [{ name: 'create_task', arguments: { title, due_date: '2030-01-01', assigned_to: randomUUID() } }] },
      { kind: 'stream', chunks: ['No task was made.'] },
    );
    const provider = new OllamaProvider({ host: fake.url, timeoutMs: 2_000 });
    const events = await handleChat(chatRequest(token, { thread_id: fx.threadId, content: 'Give Casey a task', client_message_id: randomUUID() }),
      { env: envFrom(functionEnv()), provider }).then(allEvents);
    const calls = events.filter((event) => event.event === 'tool_call').map((event) => event.data);
    expect(calls.map((call) => [call.success, call.output?.error ?? null])).toEqual([[false, 'input: Unrecognized key: "assigned_to"']]);
    expect(await withDb(async (db) => (await db.query('select 1 from app.workflow_tasks where title = $1', [title])).rowCount)).toBe(0);
  });

  it('the model is sent the thread\'s recorded tools, and a call outside them is refused', async () => {
    const fx = await freshChat(csm);
    fake.script(
      {
        kind: 'stream', chunks: [], toolCalls: [
          { name: 'create_task', arguments: { title: 'Visit the site', due_date: '2030-01-01', task_type: 'site_visit' } },
          { name: 'create_task', arguments: { title: 'Call the CFO', due_date: '2030-01-01', task_type: 'follow_up', priority: 'urgent' } },
        ],
      },
      { kind: 'stream', chunks: ['One task created.'] },
    );
    const provider = new OllamaProvider({ host: fake.url, timeoutMs: 2_000 });
    const events = await handleChat(chatRequest(token, { thread_id: fx.threadId, content: 'Make a follow-up task', client_message_id: randomUUID() }),
      { env: envFrom(functionEnv()), provider }).then(allEvents);

    const { data: thread } = await csm.rpc('get_chat_thread', { thread_id: fx.threadId });
    expect(fake.received[0]!.tools).toEqual(thread.llm_context.tools);
    expect(thread.llm_context.tools).toEqual(tools);
    const calls = events.filter((event) => event.event === 'tool_call').map((event) => event.data);
    expect(calls.map((call) => [call.success, call.output?.error ?? null])).toEqual([
      [false, expect.stringMatching(/^task_type: /)],
      [true, null],
    ]);
    expect(calls[1].output).toMatchObject({ title: 'Call the CFO', priority: 'urgent' });
  });
});
