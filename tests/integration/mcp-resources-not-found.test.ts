// resources/read of an address with no resource is MCP's "resource not found", -32002, as a
// customer that is not found already was, naming the address in at most 60 characters; an
// address longer than any resource's (1000 characters) is -32602 naming params.uri. Before:
// an unknown address was -32602 with the SDK's "Resource … not found" repeating it whole
// (900 kB came back as 900 kB), and one of a million characters -32603 Internal error.
import { beforeAll, describe, expect, it } from 'vitest';
import { signedInAs, stack } from '../support/stack.ts';

let token: string;

beforeAll(async () => {
  token = (await (await signedInAs('csm')).auth.getSession()).data.session!.access_token;
});

async function read(uri: string) {
  const response = await fetch(`${stack.url}/functions/v1/mcp`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, apikey: stack.anonKey, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'resources/read', params: { uri } }),
  });
  const text = await response.text();
  return { size: text.length, answer: JSON.parse(text) as { result?: unknown; error?: { code: number; message: string; data?: unknown } } };
}

describe('mcp: resources/read of an address with no resource', () => {
  it.each(['renubu://nothing', 'renubu://customers/', 'renubu://queue/extra', 'https://example.com/'])('%s: -32002 resource not found', async (uri) => {
    const { answer } = await read(uri);
    expect(answer.error).toEqual({ code: -32002, message: `Resource ${uri} not found`, data: { uri } });
  });

  it('a long unknown address is named in its first 60 characters', async () => {
    const uri = `renubu://${'x'.repeat(900)}`;
    const { size, answer } = await read(uri);
    expect(answer.error).toMatchObject({ code: -32002, message: `Resource ${uri.slice(0, 60)} not found` });
    expect(size).toBeLessThan(1_000);
  });

  it('an address longer than any resource\'s is -32602 naming params.uri, never an internal error', async () => {
    const { size, answer } = await read(`renubu://customers/${'x'.repeat(1_000_000)}`);
    expect(answer.error).toMatchObject({ code: -32602, message: 'Invalid params: params.uri: must be at most 1000 characters' });
    expect(size).toBeLessThan(1_000);
  });

  it('the queue and a customer are read as before', async () => {
    expect((await read('renubu://queue')).answer.result).toBeDefined();
    expect((await read('renubu://customers/00000000-0000-4000-8000-000000000000')).answer.error).toMatchObject({ code: -32002 });
  });
});
