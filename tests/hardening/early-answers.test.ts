// A function that answers before reading the upload (its own 413, a refusal) closes its end
// under the rest of the body. The gateway once cut the client's kept-alive connection for
// it, and the client's next request on that connection failed with ECONNRESET.
import http from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { useContractStack } from '../contract/harness.ts';

const stack = useContractStack();
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
afterAll(() => agent.destroy());

function post(path: string, body: string | Buffer): Promise<{ status: number; port?: number } | { error: string }> {
  return new Promise((resolve) => {
    const { hostname, port } = new URL(stack.url);
    const req = http.request({
      host: hostname, port, path, method: 'POST', agent,
      headers: { authorization: `Bearer ${stack.anonKey}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, port: req.socket?.localPort }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    req.end(body);
  });
}

describe('a function that answers before reading the body', () => {
  it('its answer arrives whole and the connection serves the next requests', async () => {
    for (let round = 0; round < 3; round += 1) {
      const big = await post('/functions/v1/early', Buffer.alloc(5 * 1024 * 1024, 'a'));
      expect(big).toMatchObject({ status: 413 });
      for (let i = 0; i < 4; i += 1) {
        expect(await post('/functions/v1/echo', '{"n":1}'), `round ${round}, call ${i}`).toMatchObject({ status: 200 });
      }
    }
  }, 60_000);
});
