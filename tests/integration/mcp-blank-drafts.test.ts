// An agent's text must say something: draft_email with a body (or a subject) of only a
// zero-width space, a no-break space or a blank Braille pattern is refused when it is
// drafted, as an empty one is, and nothing is stored; log_engagement's summary and
// propose_action's rationale likewise. Before, the MCP server stored the email and only
// sending refused it, after a person had reviewed a blank draft. The database refuses the
// same draft sent to create_agent_draft directly (22023, app.check_drafted_text).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { firstQueuedItem, mcpAgentOf } from '../support/mcp-agent.ts';
import type { SupabaseClient } from '@supabase/supabase-js';
import { signedInAs, withDb } from '../support/stack.ts';
import { attestedAs } from '../support/agent-attestation.ts';

let csm: SupabaseClient;
let agent: Client;
let executionId: string;
let customerId: string;

type ToolAnswer = { isError?: boolean; content: { type: string; text: string }[] };
const drafts = () => withDb(async (db) => (await db.query<{ n: number }>(
  `select count(*)::int as n from app.workflow_task_artifacts where execution_id = $1`, [executionId])).rows[0]!.n);

beforeAll(async () => {
  csm = await signedInAs('csm');
  agent = await mcpAgentOf(csm, 'blank-draft-tests');
  ({ executionId, customerId } = await firstQueuedItem(csm));
});
afterAll(async () => { await agent?.close().catch(() => undefined); });

describe('mcp: blank text an agent writes is refused when it is written', () => {
  for (const blank of ['\u200b', '\u00a0\u200b', '\u2800']) {
    it(`draft_email with a body of ${JSON.stringify(blank)} stores nothing`, async () => {
      const before = await drafts();
      const answer = (await agent.callTool({ name: 'draft_email', arguments: { execution_id: executionId, subject: 'Renewal', body: blank } })) as ToolAnswer;
      expect(answer.isError).toBe(true);
      expect(answer.content[0]!.text).toMatch(/must not be blank.* at body$/);
      const subject = (await agent.callTool({ name: 'draft_email', arguments: { execution_id: executionId, subject: blank, body: 'Hi Dana' } })) as ToolAnswer;
      expect(subject.isError).toBe(true);
      expect(await drafts()).toBe(before);
    });
  }

  it('log_engagement and propose_action refuse blank text too', async () => {
    const logged = (await agent.callTool({ name: 'log_engagement', arguments: { customer_id: customerId, kind: 'note', summary: '\u200b' } })) as ToolAnswer;
    expect(logged.isError).toBe(true);
    expect(logged.content[0]!.text).toMatch(/must not be blank.* at summary$/);
    const proposed = (await agent.callTool({ name: 'propose_action', arguments: {
      execution_id: executionId, action_key: 'snooze', params: { days: 2, reason: 'Holiday' }, rationale: '\ufeff' } })) as ToolAnswer;
    expect(proposed.isError).toBe(true);
  });

  it('create_agent_draft called directly refuses a blank body with 22023', async () => {
    const before = await drafts();
    // As the MCP server calls it: an agent's draft is only ever its (migration 20261214500100).
    const { error } = await (await attestedAs(csm, 'direct')).rpc('create_agent_draft', {
      execution_id: executionId, artifact_type: 'email_draft', title: 'Renewal',
      content: { to: [], subject: 'Renewal', body: '\u200b' },
    });
    expect(error).toMatchObject({ code: '22023', message: 'content.body must not be blank: the drafted email says nothing' });
    expect(await drafts()).toBe(before);
  });
});
