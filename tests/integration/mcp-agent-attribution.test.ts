// Who logged an entry, a person or an AI agent for them, is the database's to say (migration
// 20261214500000, docs/agents.md "Who logged it"), and an agent's tools draft and propose only.
// Attacked as a signed-in person or an agent would: a person's note claiming an agent
// (details.logged_by_agent) is refused, the MCP server's attestation headers sent by anyone
// else are refused, and an agent's note through the server is stamped as the agent's whatever
// it asks. Each tool that writes leaves nothing run, sent, approved or decided, and an agent
// holding another organisation's token writes nothing of Acme's.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { signedInAs, stack, withDb } from '../support/stack.ts';
import { startedWorkflow } from '../support/fresh-work.ts';

const open: Client[] = [];
type ToolAnswer = { isError?: boolean; content: { type: string; text: string }[] };

async function tokenOf(db: SupabaseClient): Promise<string> {
  return (await db.auth.getSession()).data.session!.access_token;
}

async function agentFor(token: string, name: string): Promise<Client> {
  const client = new Client({ name, version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${stack.url}/functions/v1/mcp?agent=${encodeURIComponent(name)}`), {
    requestInit: { headers: { Authorization: `Bearer ${token}`, apikey: stack.anonKey } },
  }));
  open.push(client);
  return client;
}

async function callTool<T>(agent: Client, name: string, args: Record<string, unknown>): Promise<T> {
  const answer = (await agent.callTool({ name, arguments: args })) as ToolAnswer;
  if (answer.isError) throw new Error(`${name}: ${answer.content[0]?.text}`);
  return JSON.parse(answer.content[0]!.text) as T;
}

/** Everything a tool could have done on this workflow beyond drafting and proposing. */
const effectsOn = (executionId: string) => withDb(async (db) => (await db.query(
  `select (select count(*) from app.action_executions where execution_id = $1)::int as actions_run,
          (select count(*) from app.email_outbox where execution_id = $1)::int as mail_queued,
          (select count(*) from app.workflow_task_artifacts where execution_id = $1 and approved_by is not null)::int as approved,
          (select count(*) from app.action_proposals where execution_id = $1 and status <> 'proposed')::int as decided,
          (select (status, assigned_to)::text from app.workflow_executions where id = $1) as workflow`, [executionId])).rows[0]);

/** What any tool could have written on this workflow and its customer. */
const writtenOn = (executionId: string, customerId: string) => withDb(async (db) => (await db.query(
  `select (select count(*) from app.workflow_tasks where customer_id = $2)::int as tasks,
          (select count(*) from app.engagement_events where customer_id = $2)::int as entries,
          (select count(*) from app.workflow_task_artifacts where execution_id = $1)::int as artifacts,
          (select count(*) from app.action_proposals where execution_id = $1)::int as proposals`, [executionId, customerId])).rows[0]);

let csm: SupabaseClient;
let csmId: string;
let executionId: string;
let customerId: string;

beforeAll(async () => {
  csm = await signedInAs('csm');
  csmId = (await csm.auth.getUser()).data.user!.id;
  executionId = await startedWorkflow('Agent Attribution');
  customerId = await withDb(async (db) =>
    (await db.query<{ customer_id: string }>('select customer_id from app.workflow_executions where id = $1', [executionId])).rows[0]!.customer_id);
});
afterAll(async () => { await Promise.all(open.map((client) => client.close().catch(() => undefined))); });

describe('who logged an entry is the database\'s to say', () => {
  it('refuses a person\'s note that names an agent as its writer, storing nothing', async () => {
    const summary = `Pricing call ${randomUUID()}`;
    const { error } = await csm.rpc('log_engagement', {
      customer_id: customerId, kind: 'note', occurred_at: new Date().toISOString(), summary, details: { logged_by_agent: 'Renewal Bot' },
    });
    expect(error?.code).toBe('22023');
    expect(await withDb(async (db) => (await db.query('select 1 from app.engagement_events where description = $1', [summary])).rowCount)).toBe(0);
  });

  it('refuses the MCP server\'s attestation headers sent by anyone else', async () => {
    const token = await tokenOf(csm);
    const forger = createClient(stack.url, stack.anonKey, {
      global: { headers: { Authorization: `Bearer ${token}`, 'x-renubu-agent': Buffer.from('Renewal Bot').toString('base64'), 'x-renubu-agent-proof': 'ab'.repeat(32) } },
      auth: { persistSession: false, autoRefreshToken: false },
    });
    const summary = `Forged agent ${randomUUID()}`;
    const { error } = await forger.rpc('log_engagement', { customer_id: customerId, kind: 'note', occurred_at: new Date().toISOString(), summary });
    expect(error?.code).toBe('42501');
    const secret = await csm.rpc('agent_attestation_key');
    expect(secret.error?.code).toBe('42501');
    expect(secret.data).toBeNull();
  });

  it('stamps an agent\'s note through the MCP server as the agent\'s, for the person whose token it carries', async () => {
    const agent = await agentFor(await tokenOf(csm), 'Renewal Bot ✨');
    const summary = `Champion confirmed budget ${randomUUID()}`;
    const logged = await callTool<{ details: Record<string, unknown>; logged_by: string }>(agent, 'log_engagement', { customer_id: customerId, kind: 'call', summary });
    expect(logged.details).toEqual({ logged_by_agent: 'Renewal Bot ✨' });
    const stored = await withDb(async (db) => (await db.query('select metadata from app.engagement_events where description = $1', [summary])).rows[0]!.metadata);
    expect(stored).toEqual({ details: { logged_by_agent: 'Renewal Bot ✨' }, logged_by: csmId });
  });
});

describe('the agent named on a draft or a proposal is the MCP server\'s to say', () => {
  it('refuses a person\'s draft or proposal naming an agent, and a draft naming none is no agent\'s', async () => {
    const named = await csm.rpc('create_agent_draft', {
      execution_id: executionId, artifact_type: 'email_draft', title: 'Renewal', content: { to: [], subject: 'Renewal', body: 'Hi' }, agent_name: 'Renewal Bot',
    });
    expect(named.error?.code).toBe('22023');
    const unnamed = await csm.rpc('create_agent_draft', {
      execution_id: executionId, artifact_type: 'email_draft', title: 'Renewal', content: { to: [], subject: 'Renewal', body: 'Hi' },
    });
    expect(unnamed.error?.code).toBe('42501');
    const proposed = await csm.rpc('propose_action', {
      action_key: 'snooze', rationale: 'Champion away', params: { days: 3, reason: 'Champion away' }, execution_id: executionId, source: 'agent', source_ref: 'Renewal Bot',
    });
    expect(proposed.error?.code).toBe('22023');
  });

  it('records the agent the server attests on its draft and its proposal', async () => {
    const agent = await agentFor(await tokenOf(csm), 'Renewal Bot ✨');
    const draft = await callTool<{ id: string; ai_model: string }>(agent, 'draft_email', { execution_id: executionId, subject: 'Renewal', body: 'Hi Dana' });
    expect(draft.ai_model).toBe('Renewal Bot ✨');
    const proposal = await callTool<{ source: { ref: string } }>(agent, 'propose_action', {
      execution_id: executionId, action_key: 'send_email', params: { artifact_id: draft.id }, rationale: 'Dana asked for the terms.',
    });
    expect(proposal.source.ref).toBe('Renewal Bot ✨');
  });

  it('records the agent the server attests on a task it creates, which the person\'s task list shows; a person\'s own task names none', async () => {
    const agent = await agentFor(await tokenOf(csm), 'Renewal Bot ✨');
    const task = await callTool<{ id: string; created_by_agent: string | null }>(agent, 'create_task', {
      customer_id: customerId, execution_id: executionId, title: 'Send the signed order form', due_date: '2031-01-16',
    });
    expect(task.created_by_agent).toBe('Renewal Bot ✨');
    const listed = await csm.rpc('list_tasks', { status: 'all', customer_id: customerId, page_size: 200 });
    expect((listed.data as { items: { id: string; created_by_agent: string | null }[] }).items.find((each) => each.id === task.id)?.created_by_agent)
      .toBe('Renewal Bot ✨');
    const own = await csm.rpc('create_task', { title: 'Call the CFO', customer_id: customerId, due_date: '2031-01-16T17:00:00Z' });
    expect([own.error, (own.data as { created_by_agent: string | null }).created_by_agent]).toEqual([null, null]);
  });
});

describe('an agent drafts and proposes, never runs, sends, approves or decides', () => {
  it('offers exactly four tools that write', async () => {
    const agent = await agentFor(await tokenOf(csm), 'Authority Check');
    const { tools } = await agent.listTools();
    expect(tools.filter((tool) => tool.annotations?.readOnlyHint !== true).map((tool) => tool.name).sort())
      .toEqual(['create_task', 'draft_email', 'log_engagement', 'propose_action']);
  });

  it('each of them leaves the workflow as it was: nothing run, queued, approved or decided', async () => {
    const agent = await agentFor(await tokenOf(csm), 'Authority Check');
    const before = await effectsOn(executionId);
    const task = await callTool<{ assigned_to: string; status: string }>(agent, 'create_task', {
      customer_id: customerId, execution_id: executionId, title: 'Send the renewal deck', due_date: '2031-01-15',
    });
    expect([task.assigned_to, task.status]).toEqual([csmId, 'pending']);
    await callTool(agent, 'log_engagement', { customer_id: customerId, kind: 'meeting', summary: 'Agreed the renewal terms; send them today.' });
    const draft = await callTool<{ id: string; approved: boolean; generated_by: string }>(agent, 'draft_email', {
      execution_id: executionId, to: ['champion@example.com'], subject: 'Renewal terms', body: 'Here are the terms we agreed.',
    });
    expect([draft.approved, draft.generated_by]).toEqual([false, 'agent']);
    for (const [action_key, params] of [
      ['send_email', { artifact_id: draft.id }],
      ['escalate', { reason: 'Budget at risk', level: 'manager' }],
      ['snooze', { days: 3, reason: 'Champion away' }],
    ] as const) {
      const proposal = await callTool<{ status: string }>(agent, 'propose_action', { execution_id: executionId, action_key, params, rationale: 'The champion asked for it.' });
      expect(proposal.status, action_key).toBe('proposed');
    }
    expect(await effectsOn(executionId)).toEqual(before);
  });

  it('writes nothing of another organisation with its own person\'s token', async () => {
    const outsider = await agentFor(await tokenOf(await signedInAs('otherCsm')), 'Outsider');
    const before = await writtenOn(executionId, customerId);
    const attempts: [string, Record<string, unknown>][] = [
      ['create_task', { customer_id: customerId, title: 'Take over', due_date: '2031-01-15' }],
      ['create_task', { customer_id: customerId, execution_id: executionId, title: 'Take over', due_date: '2031-01-15' }],
      ['log_engagement', { customer_id: customerId, kind: 'note', summary: 'Planted by another organisation' }],
      ['draft_email', { execution_id: executionId, subject: 'Planted', body: 'Planted by another organisation' }],
      ['propose_action', { execution_id: executionId, action_key: 'snooze', params: { days: 3, reason: 'Planted' }, rationale: 'Planted.' }],
    ];
    for (const [name, args] of attempts) {
      const answer = (await outsider.callTool({ name, arguments: args })) as ToolAnswer;
      expect(answer.isError, `${name} ${answer.content[0]?.text}`).toBe(true);
      expect(answer.content[0]!.text, name).toMatch(/^PT404: /);
    }
    expect(await writtenOn(executionId, customerId)).toEqual(before);
  });
});
