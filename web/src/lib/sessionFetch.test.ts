// The session's door, against a real HTTP server that holds every data call until told:
// a sign-out aborts what is under way, refuses what comes after, and lets auth through.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionFetch } from './sessionFetch.ts';

let server: Server;
let base = '';
const received: string[] = [];
const held: ServerResponse[] = [];

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    received.push(request.url ?? '');
    if (request.url?.startsWith('/rest/v1/hold')) held.push(response);
    else response.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const response of held) response.end();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function arrived(path: string): Promise<void> {
  for (let i = 0; i < 200 && !received.includes(path); i += 1) await new Promise((r) => setTimeout(r, 5));
  expect(received).toContain(path);
}

describe('the session fetch', () => {
  it('passes calls through while a session is live', async () => {
    const session = createSessionFetch();
    const response = await session.fetch(`${base}/rest/v1/rpc/get_my_profile`, { method: 'POST' });
    expect(response.status).toBe(200);
    expect(session.isOpen).toBe(true);
  });

  it('aborts the calls under way when the session closes, and refuses new ones without sending them', async () => {
    const session = createSessionFetch();
    const inFlight = session.fetch(`${base}/rest/v1/hold/1`);
    await arrived('/rest/v1/hold/1');
    session.close();
    await expect(inFlight).rejects.toMatchObject({ name: 'AbortError' });

    const before = received.length;
    await expect(session.fetch(`${base}/functions/v1/daily-brief`, { method: 'POST' })).rejects.toMatchObject({ name: 'AbortError' });
    await expect(session.fetch(new URL(`${base}/rest/v1/rpc/list_tasks`))).rejects.toMatchObject({ name: 'AbortError' });
    expect(received.length).toBe(before);
  });

  it("lets auth's own calls through while closed (the sign-out itself, the next sign-in)", async () => {
    const session = createSessionFetch();
    session.close();
    const response = await session.fetch(`${base}/auth/v1/logout?scope=global`, { method: 'POST' });
    expect(response.status).toBe(200);
  });

  it('opens again with the next session, and a call keeps its own abort signal too', async () => {
    const session = createSessionFetch();
    session.close();
    session.open();
    expect(session.isOpen).toBe(true);
    expect((await session.fetch(`${base}/rest/v1/rpc/get_workflow_queue`)).status).toBe(200);

    const own = new AbortController();
    const inFlight = session.fetch(`${base}/rest/v1/hold/2`, { signal: own.signal });
    await arrived('/rest/v1/hold/2');
    own.abort();
    await expect(inFlight).rejects.toMatchObject({ name: 'AbortError' });
    expect(session.isOpen).toBe(true);
  });
});
