// MCP's refusals repeat what the agent sent in at most 60 characters, as the functions' and
// the database's do (docs/api-contract.md "Errors"). Before, a tools/call of a tool named with
// 1 MB was answered "Tool xxxx… not found" with all of it, and an argument of a 1 MB name
// "Unrecognized key: "kkkk…"" with all of it: answers of 1 MB. The chat assistant's tool calls
// share the rule (strictToolInput).
import { beforeAll, describe, expect, it } from 'vitest';
import { signedInAs, stack } from '../support/stack.ts';

let token: string;

beforeAll(async () => {
  token = (await (await signedInAs('csm')).auth.getSession()).data.session!.access_token;
});

async function call(params: unknown) {
  const response = await fetch(`${stack.url}/functions/v1/mcp`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, apikey: stack.anonKey, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params }),
  });
  const text = await response.text();
  const answer = JSON.parse(text) as { result?: { content: { text: string }[]; isError?: boolean } };
  return { size: text.length, isError: answer.result?.isError, text: answer.result?.content[0]?.text ?? '' };
}

describe('mcp: a refusal quotes what was sent briefly', () => {
  it('a tool of a 1 MB name: not found, naming its first 60 characters', async () => {
    const answer = await call({ name: 'x'.repeat(1_000_000), arguments: {} });
    expect({ isError: answer.isError, text: answer.text }).toEqual({ isError: true, text: `MCP error -32602: Tool ${'x'.repeat(60)} not found` });
    expect(answer.size).toBeLessThan(1_000);
  });

  it('an argument of a 1 MB name: refused naming its first 60 characters', async () => {
    const answer = await call({ name: 'get_queue', arguments: { ['k'.repeat(1_000_000)]: 1 } });
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain(`Unrecognized key: "${'k'.repeat(60)}"`);
    expect(answer.size).toBeLessThan(1_000);
  });

  it('a tool that exists still runs, and an unknown short name is named whole', async () => {
    expect((await call({ name: 'get_queue', arguments: {} })).isError).toBeUndefined();
    expect((await call({ name: 'nope', arguments: {} })).text).toBe('MCP error -32602: Tool nope not found');
  });
});
