// The local stack's web server hands the sign-in page the seeded demo people at run time
// (/renubu-config.json), from their one list, local/demo-people.json: the web app's build
// carries none of them (tests/unit/web-build-prints-only-its-own-news.test.ts), so only a
// local stack offers them.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../local/free-port.mjs';
import { DEMO_PASSWORD, DEMO_PEOPLE } from '../support/demo-people.ts';

interface WebServer { listen(): Promise<void>; close(): Promise<void> }
let web: WebServer;
let webUrl = '';

beforeAll(async () => {
  const { createWebServer } = await import(/* @vite-ignore */ path.resolve('local/web-server.mjs')) as {
    createWebServer(o: { config: { webPort: number; apiUrl: string; anonKey: string } }): WebServer;
  };
  const port = await freePort();
  web = createWebServer({ config: { webPort: port, apiUrl: 'http://127.0.0.1:1', anonKey: 'anon' } });
  await web.listen();
  webUrl = `http://127.0.0.1:${port}`;
});
afterAll(async () => { await web?.close(); });

describe("the local web server's runtime configuration", () => {
  it('lists every seeded demo person, with the role the sign-in page shows, and their password', async () => {
    const config = await (await fetch(`${webUrl}/renubu-config.json`)).json() as {
      demoPeople: { password: string; people: { email: string; role: string }[] };
    };
    expect(config.demoPeople.password).toBe(DEMO_PASSWORD);
    expect(config.demoPeople.people.map((person) => person.email)).toEqual(Object.values(DEMO_PEOPLE));
    expect(config.demoPeople.people.find((person) => person.email === DEMO_PEOPLE.csm)?.role)
      .toBe('Senior CSM — owns most of the book');
  });
});
