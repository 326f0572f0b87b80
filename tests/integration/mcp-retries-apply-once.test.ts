// An agent that lost a write's answer and calls again with the same idempotency_key gets what
// the first call made, not a second task or a second timeline entry; the same key for
// another request is refused and nothing more is stored. Before, the MCP tools took no key
// (zod dropped one sent), so every retry of create_task, log_engagement or draft_email made
// another.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { SupabaseClient } from '@supabase/supabase-js';
import { signedInAs, withDb } from '../support/stack.ts';
import { openedWorkflow } from '../support/fresh-work.ts';
import { firstQueuedItem, mcpAgentOf } from '../support/mcp-agent.ts';

let agent: Client;
let customerId: string;
let executionId: string;

type ToolAnswer = { isError?: boolean; content: { type: string; text: string }[] };
const call = async (name: string, args: Record<string, unknown>) =>
  (await agent.callTool({ name, arguments: args })) as ToolAnswer;
const count = (sql: string, params: unknown[]) =>
  withDb(async (db) => (await db.query<{ n: number }>(sql, params)).rows[0]!.n);

beforeAll(async () => {
  const csm: SupabaseClient = await signedInAs('csm');
  agent = await mcpAgentOf(csm, 'retrying-agent');
  ({ customerId } = await firstQueuedItem(csm));
  // The drafts go on a workflow of their own: the queue's first item is shared with tests
  // that escalate it, and an escalated workflow takes no drafts.
  executionId = await openedWorkflow('Retrying Agent Co');
});
afterAll(async () => { await agent?.close().catch(() => undefined); });

describe('mcp: a write retried with its idempotency_key is applied once', () => {
  it('create_task twice with one key makes one task and answers it both times', async () => {
    const key = randomUUID();
    const title = `Send the renewal deck ${key}`;
    const args = { customer_id: customerId, title, due_date: '2031-01-15', idempotency_key: key };
    const first = await call('create_task', args);
    const again = await call('create_task', args);
    expect(first.isError).toBeFalsy();
    expect(again.isError).toBeFalsy();
    expect(JSON.parse(again.content[0]!.text).id).toBe(JSON.parse(first.content[0]!.text).id);
    expect(await count('select count(*)::int as n from app.workflow_tasks where title = $1', [title])).toBe(1);

    const other = await call('create_task', { ...args, title: `${title} (another)` });
    expect(other.isError).toBe(true);
    expect(other.content[0]!.text).toMatch(/different request/);
    expect(await count('select count(*)::int as n from app.workflow_tasks where title like $1', [`${title}%`])).toBe(1);
  });

  it('log_engagement twice with one key logs one entry', async () => {
    const key = randomUUID();
    const summary = `Call with the sponsor about seats ${key}`;
    const args = { customer_id: customerId, kind: 'call', summary, idempotency_key: key };
    const first = await call('log_engagement', args);
    const again = await call('log_engagement', args);
    expect(first.isError).toBeFalsy();
    expect(again.isError).toBeFalsy();
    expect(JSON.parse(again.content[0]!.text).id).toBe(JSON.parse(first.content[0]!.text).id);
    expect(await count('select count(*)::int as n from app.engagement_events where description = $1', [summary])).toBe(1);
  });

  it('draft_email twice with one key stores one draft; the key with another subject is refused', async () => {
    const key = randomUUID();
    const subject = `Your renewal options ${key}`;
    const args = { execution_id: executionId, subject, body: 'Hi Dana, here are the two options we discussed.', idempotency_key: key };
    const first = await call('draft_email', args);
    const again = await call('draft_email', args);
    expect(first.isError).toBeFalsy();
    expect(again.isError).toBeFalsy();
    expect(JSON.parse(again.content[0]!.text).id).toBe(JSON.parse(first.content[0]!.text).id);
    expect(await count('select count(*)::int as n from app.workflow_task_artifacts where title = $1', [subject])).toBe(1);

    const other = await call('draft_email', { ...args, subject: `${subject} (another)` });
    expect(other.isError).toBe(true);
    expect(other.content[0]!.text).toMatch(/different request/);
    expect(await count('select count(*)::int as n from app.workflow_task_artifacts where title like $1', [`${subject}%`])).toBe(1);
  });

  it('a blank key is refused before anything is stored', async () => {
    const title = `Blank key ${randomUUID()}`;
    const answer = await call('create_task', { customer_id: customerId, title, due_date: '2031-01-15', idempotency_key: '\u200b' });
    expect(answer.isError).toBe(true);
    expect(answer.content[0]!.text).toMatch(/idempotency_key must not be only whitespace/);
    expect(await count('select count(*)::int as n from app.workflow_tasks where title = $1', [title])).toBe(0);
  });
});
