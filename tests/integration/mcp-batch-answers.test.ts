// A JSON-RPC batch is answered as a batch (JSON-RPC 2.0 §6). Before: a batch holding one
// request (alone, or beside notifications) was answered with that answer alone, an object,
// which a client reading the batch's array could not match; an empty batch was 202 with no
// body, where the specification answers one Invalid Request error.
import { beforeAll, describe, expect, it } from 'vitest';
import { signedInAs, stack } from '../support/stack.ts';

let token: string;

beforeAll(async () => {
  token = (await (await signedInAs('csm')).auth.getSession()).data.session!.access_token;
});

async function post(body: unknown) {
  const response = await fetch(`${stack.url}/functions/v1/mcp`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, apikey: stack.anonKey, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, answer: text === '' ? null : JSON.parse(text) as unknown };
}

const ping = (id: number) => ({ jsonrpc: '2.0', id, method: 'ping' });
const initialized = { jsonrpc: '2.0', method: 'notifications/initialized' };

describe('mcp: a batch is answered with an array', () => {
  it('a batch of one request: an array of its one answer', async () => {
    expect(await post([ping(1)])).toEqual({ status: 200, answer: [{ jsonrpc: '2.0', id: 1, result: {} }] });
  });

  it('one request beside a notification: an array of the request\'s answer', async () => {
    expect(await post([ping(2), initialized])).toEqual({ status: 200, answer: [{ jsonrpc: '2.0', id: 2, result: {} }] });
  });

  it('a single request stays a single answer, and a batch of notifications only has none', async () => {
    expect(await post(ping(3))).toEqual({ status: 200, answer: { jsonrpc: '2.0', id: 3, result: {} } });
    expect(await post([initialized])).toEqual({ status: 202, answer: null });
  });

  it('an empty batch is one Invalid Request error', async () => {
    const { status, answer } = await post([]);
    expect(status).toBe(400);
    expect(answer).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32600, data: { code: '22023' } } });
  });
});
