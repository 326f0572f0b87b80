// The agent's name (?agent= in the server URL) is recorded without NUL characters, which no
// text in the database can hold. Before, `?agent=Renewal%00Bot` made every write tool fail with
// "22P05: unsupported Unicode escape sequence" (the name reached Postgres as sent), as half an
// emoji once did (mcp-agent-name.test.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { signedInAs, stack, withDb } from '../support/stack.ts';
import { freshCustomer } from '../support/fresh-work.ts';

let token: string;
let customerId: string;

async function logNote(agentQuery: string, summary: string) {
  const response = await fetch(`${stack.url}/functions/v1/mcp?agent=${agentQuery}`, {
    method: 'POST',
    headers: { apikey: stack.anonKey, authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call',
      params: { name: 'log_engagement', arguments: { customer_id: customerId, kind: 'note', summary } } }),
  });
  return ((await response.json()) as { result: { isError?: boolean; content: { text: string }[] } }).result;
}

const recordedAgent = (summary: string) => withDb(async (db) => (await db.query<{ agent: string }>(
  `select metadata -> 'details' ->> 'logged_by_agent' as agent from app.engagement_events where description = $1 or title = $1`, [summary])).rows[0]?.agent);

beforeAll(async () => {
  token = (await (await signedInAs('csm')).auth.getSession()).data.session!.access_token;
  customerId = await freshCustomer('Agent Name Nul Co');
});

describe("mcp: an agent's name holding NUL", () => {
  it('is recorded without it, and the note is logged', async () => {
    const summary = `agent nul ${Math.random()}`;
    const answer = await logNote('Renewal%00Bot', summary);
    expect(answer.isError, answer.content[0]?.text).toBeFalsy();
    expect(await recordedAgent(summary)).toBe('RenewalBot');
  });

  it('a name of NUL alone is no name: "MCP agent"', async () => {
    const summary = `agent nul ${Math.random()}`;
    expect((await logNote('%00%00', summary)).isError).toBeFalsy();
    expect(await recordedAgent(summary)).toBe('MCP agent');
  });
});
