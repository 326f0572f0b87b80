// The agent's name (?agent= in the server URL, or clientInfo in initialize) is recorded on
// what it writes, cut to 100 characters, never inside one, by the blank-text rule, and as one
// displayable line (its line breaks and tabs made spaces, direction overrides and other
// control characters left out: the database refuses any other, migration 20261215610000).
// Before, an agent whose name had an emoji as its 100th character had it cut in half, and
// every write tool failed with "22P02: invalid input syntax for type json" (the lone
// surrogate reached Postgres); a name of a zero-width space was recorded as that.
import { beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { signedInAs, stack, withDb } from '../support/stack.ts';

let token: string;
let customerId: string;

type ToolAnswer = { isError?: boolean; content: { type: string; text: string }[] };

async function logNote(agentQuery: string, summary: string): Promise<ToolAnswer> {
  const response = await fetch(`${stack.url}/functions/v1/mcp?agent=${agentQuery}`, {
    method: 'POST',
    headers: {
      apikey: stack.anonKey, authorization: `Bearer ${token}`,
      'content-type': 'application/json', accept: 'application/json, text/event-stream',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call',
      params: { name: 'log_engagement', arguments: { customer_id: customerId, kind: 'note', summary } } }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { result: ToolAnswer }).result;
}

const recordedAgent = (summary: string) => withDb(async (db) => (await db.query<{ agent: string }>(
  `select metadata -> 'details' ->> 'logged_by_agent' as agent from app.engagement_events where description = $1 or title = $1`, [summary])).rows[0]?.agent);

beforeAll(async () => {
  const csm: SupabaseClient = await signedInAs('csm');
  token = (await csm.auth.getSession()).data.session!.access_token;
  customerId = await withDb(async (db) =>
    (await db.query<{ id: string }>("select id from app.customers where name = 'Contoso Retail'")).rows[0]!.id);
});

describe("mcp: the agent's name", () => {
  it('a name with an emoji as its 100th character is cut before it, and the note is logged', async () => {
    const summary = `agent name ${Math.random()}`;
    const answer = await logNote(encodeURIComponent(`${'A'.repeat(99)}😀 and more`), summary);
    expect(answer.isError, answer.content[0]?.text).toBeFalsy();
    expect(await recordedAgent(summary)).toBe(`${'A'.repeat(99)}😀`);
  });

  it('a name of only invisible characters is no name: "MCP agent"', async () => {
    const summary = `agent name ${Math.random()}`;
    expect((await logNote(encodeURIComponent('\u200b\u00a0'), summary)).isError).toBeFalsy();
    expect(await recordedAgent(summary)).toBe('MCP agent');
  });

  it('a name holding a direction override or a line break is recorded as one displayable line, and the note is logged', async () => {
    const summary = `agent name ${Math.random()}`;
    const answer = await logNote(encodeURIComponent('Renewal Bot\u202Egnp.exe\nSecond\tline\u0007 \u05d1\u05d5\u05d8'), summary);
    expect(answer.isError, answer.content[0]?.text).toBeFalsy();
    expect(await recordedAgent(summary)).toBe('Renewal Botgnp.exe Second line \u05d1\u05d5\u05d8');
  });

  it('a name is recorded without the blank characters around it', async () => {
    const summary = `agent name ${Math.random()}`;
    expect((await logNote(encodeURIComponent('\tRenewal Bot\u200b'), summary)).isError).toBeFalsy();
    expect(await recordedAgent(summary)).toBe('Renewal Bot');
  });
});
