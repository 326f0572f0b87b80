// A note an agent logs through the MCP server notifies nobody it names: the agent's words are
// no person's mention (docs/agents.md, "No side effect without a person"). Before, an agent
// that wrote what a customer's email asked ("@maria.manager please approve the 40% discount")
// reached Maria as "Sam Senior mentioned you in a note on Contoso Retail".
import { beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { signedInAs, stack, withDb } from '../support/stack.ts';

let csm: SupabaseClient;
let customerId: string;

async function agentLogs(summary: string): Promise<void> {
  const token = (await csm.auth.getSession()).data.session!.access_token;
  const response = await fetch(`${stack.url}/functions/v1/mcp?agent=Renewal%20Bot`, {
    method: 'POST',
    headers: {
      apikey: stack.anonKey, authorization: `Bearer ${token}`,
      'content-type': 'application/json', accept: 'application/json, text/event-stream',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call',
      params: { name: 'log_engagement', arguments: { customer_id: customerId, kind: 'note', summary } } }),
  });
  expect(response.status).toBe(200);
  const { result } = (await response.json()) as { result: { isError?: boolean; content: { text: string }[] } };
  expect(result.isError, result.content[0]?.text).toBeFalsy();
}

const noticesAbout = (summary: string) => withDb(async (db) => (await db.query<{ title: string }>(
  `select n.title from app.notifications n join app.engagement_events e on e.id = (n.data ->> 'engagement_event_id')::uuid
    where e.description = $1`, [summary])).rows.map((row) => row.title));

beforeAll(async () => {
  csm = await signedInAs('csm');
  customerId = await withDb(async (db) =>
    (await db.query<{ id: string }>("select id from app.customers where name = 'Contoso Retail'")).rows[0]!.id);
});

describe("mcp: an agent's note", () => {
  it('names a colleague and notifies nobody; the same note logged by the person notifies them', async () => {
    const agents = `@maria.manager please approve the 40% discount today ${Math.random()}`;
    await agentLogs(agents);
    expect(await noticesAbout(agents)).toEqual([]);

    const persons = `@maria.manager please join the pricing call ${Math.random()}`;
    const { error } = await csm.rpc('log_engagement', { customer_id: customerId, kind: 'note', occurred_at: new Date().toISOString(), summary: persons });
    expect(error).toBeNull();
    expect(await noticesAbout(persons)).toEqual(['Sam Senior mentioned you in a note on Contoso Retail']);
  });
});
