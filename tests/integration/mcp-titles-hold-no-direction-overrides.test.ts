// An agent's title or subject holding a text-direction override or a line break is refused
// by the MCP server's schema, naming the field, before any call (functions-shared/api/
// displayable.ts, the database's rule app.text_is_displayable); a body or a summary keeps
// its line breaks but not an override. Nothing is stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { signedInAs, withDb } from '../support/stack.ts';
import { firstQueuedItem, mcpAgentOf } from '../support/mcp-agent.ts';

let agent: Client;
let executionId: string;
let customerId: string;

type ToolAnswer = { isError?: boolean; content: { type: string; text: string }[] };
const REFUSAL = 'must not contain control characters or text-direction overrides';
const stored = () => withDb(async (db) => (await db.query<{ n: number }>(
  `select (select count(*) from app.workflow_task_artifacts where execution_id = $1)
        + (select count(*) from app.workflow_tasks where customer_id = $2)
        + (select count(*) from app.engagement_events where customer_id = $2) as n`, [executionId, customerId])).rows[0]!.n);

beforeAll(async () => {
  const csm = await signedInAs('csm');
  agent = await mcpAgentOf(csm, 'bidi-tests');
  ({ executionId, customerId } = await firstQueuedItem(csm));
});
afterAll(async () => { await agent?.close().catch(() => undefined); });

describe('mcp: titles hold no direction override', () => {
  it('draft_email refuses a subject with an override or a line break, and a body with an override', async () => {
    const before = await stored();
    for (const subject of ['Renewal \u202eefil', 'Renewal\nterms']) {
      const answer = (await agent.callTool({ name: 'draft_email', arguments: { execution_id: executionId, subject, body: 'Hi Dana' } })) as ToolAnswer;
      expect(answer.isError).toBe(true);
      expect(answer.content[0]!.text).toMatch(new RegExp(`${REFUSAL}.* at subject$`));
    }
    const body = (await agent.callTool({ name: 'draft_email', arguments: { execution_id: executionId, subject: 'Renewal', body: 'Hi\n\u2066Dana\u2069' } })) as ToolAnswer;
    expect(body.isError).toBe(true);
    expect(body.content[0]!.text).toMatch(new RegExp(`${REFUSAL}.* at body$`));
    expect(await stored()).toBe(before);
  });

  it('create_task refuses a title with an isolate, log_engagement a summary with an override', async () => {
    const before = await stored();
    const task = (await agent.callTool({ name: 'create_task', arguments: { customer_id: customerId, title: 'Call\u2067 back', due_date: '2031-03-04' } })) as ToolAnswer;
    expect(task.isError).toBe(true);
    expect(task.content[0]!.text).toMatch(new RegExp(`${REFUSAL}.* at title$`));
    const logged = (await agent.callTool({ name: 'log_engagement', arguments: { customer_id: customerId, kind: 'note', summary: 'Agreed\n\u202e%04 tnuocsid' } })) as ToolAnswer;
    expect(logged.isError).toBe(true);
    expect(logged.content[0]!.text).toMatch(new RegExp(`${REFUSAL}.* at summary$`));
    expect(await stored()).toBe(before);
  });
});
