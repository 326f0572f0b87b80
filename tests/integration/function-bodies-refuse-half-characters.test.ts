// JSON may carry half of a character (an unpaired surrogate escape such as \ud800); no text
// in the database can hold one. A function's body that holds one is refused where it is
// read, 422 invalid_body naming where it is (MCP: JSON-RPC's Invalid Request), and nothing
// is written. Before, it went on to the database and came back as 400 22P02 with Postgres'
// own words ("invalid input syntax for type json", "Unicode low surrogate must follow a
// high surrogate"), after the function had done its other reads.
import { beforeAll, describe, expect, it } from 'vitest';
import { signedInAs, stack, withDb } from '../support/stack.ts';
import { openedWorkflow } from '../support/fresh-work.ts';

let token: string;
let executionId: string;

async function post(fn: string, text: string, accept = 'application/json') {
  const response = await fetch(`${stack.url}/functions/v1/${fn}`, {
    method: 'POST',
    headers: { apikey: stack.anonKey, authorization: `Bearer ${token}`, 'content-type': 'application/json', accept },
    body: text,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const tasksTitled = (title: string) => withDb(async (db) =>
  (await db.query<{ n: number }>('select count(*)::int as n from app.workflow_tasks where title like $1', [title])).rows[0]!.n);

beforeAll(async () => {
  const sam = await signedInAs('csm');
  token = (await sam.auth.getSession()).data.session!.access_token;
  // A workflow of its own: the queue's first item is shared with tests that snooze or
  // escalate it at the same time, and a workflow in another state answers 409 first.
  executionId = await openedWorkflow('Half Character Co');
});

describe('a body holding half of a character', () => {
  it('execute-action: 422 invalid_body naming params.title, and no task is made', async () => {
    const text = `{"action_key": "create_task", "execution_id": "${executionId}", "params": {"title": "half \\ud800 title", "due_date": "2026-12-30"}}`;
    const answer = await post('execute-action', text);
    expect(answer.status).toBe(422);
    expect(answer.body.error).toMatchObject({ code: 'invalid_body', details: [{ path: 'params.title', message: 'must not hold an unpaired surrogate' }] });
    expect(await tasksTitled('half %')).toBe(0);
  });

  it('a lone low surrogate in a key is named too; a whole emoji written as two escapes is taken', async () => {
    const lone = await post('execute-action', `{"action_key": "snooze", "execution_id": "${executionId}", "params": {"\\udc00": 1}}`);
    expect(lone.status).toBe(422);
    expect(lone.body.error).toMatchObject({ code: 'invalid_body', details: [{ path: 'params.\udc00' }] });
    const whole = await post('execute-action', `{"action_key": "snooze", "execution_id": "${executionId}", "params": {"days": 0, "reason": "\\ud83d\\ude00"}}`);
    expect(whole.status).toBe(400); // past the body: the database's own rule on days answers
    expect(whole.body.error).toMatchObject({ code: '22023' });
  });

  it('chat: 422 invalid_body naming content', async () => {
    const answer = await post('chat', `{"thread_id": "00000000-0000-4000-8000-000000000001", "content": "hi \\ud800", "client_message_id": "m-half"}`);
    expect(answer.status).toBe(422);
    expect(answer.body.error).toMatchObject({ code: 'invalid_body', details: [{ path: 'content' }] });
  });

  it('mcp: Invalid Request in JSON-RPC shape', async () => {
    const answer = await post('mcp', '{"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "get_queue", "arguments": {"search": "\\ud800"}}}',
      'application/json, text/event-stream');
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: -32600, data: { code: 'invalid_body', details: [{ path: 'params.arguments.search' }] } });
  });
});
