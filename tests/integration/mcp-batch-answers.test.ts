// A JSON-RPC batch is answered as a batch (JSON-RPC 2.0 §6). Before: a batch holding one
// request (alone, or beside notifications) was answered with that answer alone, an object,
// which a client reading the batch's array could not match; an empty batch was 202 with no
// body, where the specification answers one Invalid Request error. And JSON that is no
// JSON-RPC message (JSON-RPC 2.0 §5.1 and §7): only text that is not JSON is -32700 Parse error;
// a message that is JSON but no request is -32600 Invalid Request (id null), and in a batch each
// such element gets its own -32600 while the others are answered. Before, one bad element made
// the whole batch -32700 "Parse error: Invalid JSON-RPC message", and nothing in it ran.
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

  it('a batch with an element that is no JSON-RPC message: the others answered, that one -32600 with id null', async () => {
    const { status, answer } = await post([ping(4), { foo: 1 }, ping(5), 42]);
    expect(status).toBe(200);
    const answers = answer as { id: unknown; result?: unknown; error?: { code: number; data?: unknown } }[];
    expect(answers).toHaveLength(4);
    expect(answers.filter((a) => a.id !== null)).toEqual([{ jsonrpc: '2.0', id: 4, result: {} }, { jsonrpc: '2.0', id: 5, result: {} }]);
    expect(answers.filter((a) => a.id === null).map((a) => [a.error?.code, a.error?.data]))
      .toEqual([[-32600, { code: '22023', index: 1 }], [-32600, { code: '22023', index: 3 }]]);
  });

  it('a batch of no messages at all: one -32600 per element, as the specification\'s [1, 2, 3]', async () => {
    const { status, answer } = await post([1, 2, 3]);
    expect(status).toBe(400);
    expect((answer as { id: unknown; error: { code: number } }[]).map((a) => [a.id, a.error.code]))
      .toEqual([[null, -32600], [null, -32600], [null, -32600]]);
  });

  it('a bad element beside notifications only: its -32600 alone', async () => {
    const { status, answer } = await post([initialized, { jsonrpc: '2.0', method: 1 }]);
    expect(status).toBe(200);
    expect(answer).toMatchObject([{ jsonrpc: '2.0', id: null, error: { code: -32600 } }]);
  });

  it('one message that is JSON but no request is -32600 Invalid Request, not a Parse error', async () => {
    for (const body of [{ foo: 1 }, { jsonrpc: '2.0', method: 1, params: 'bar' }, 'ping']) {
      const { status, answer } = await post(body);
      expect([JSON.stringify(body), status]).toEqual([JSON.stringify(body), 400]);
      expect(answer).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32600, data: { code: '22023' } } });
    }
  });
});
