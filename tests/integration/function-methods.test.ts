// Every Edge Function takes POST (and OPTIONS for CORS). Another method is 405 in the house
// error body with an Allow header naming them, as RFC 9110 §15.5.6 requires; before, only
// mcp sent Allow, and the other eight answered 405 without it.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { signedInAs, stack } from '../support/stack.ts';

const functionsDir = path.resolve(__dirname, '..', '..', 'supabase', 'functions');
const functions = readdirSync(functionsDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && /^[a-z]/.test(entry.name)).map((entry) => entry.name);
let token: string;

beforeAll(async () => {
  token = (await (await signedInAs('csm')).auth.getSession()).data.session!.access_token;
});

describe('a method a function does not take', () => {
  it.each(['GET', 'PUT', 'DELETE'])('%s: 405 with Allow: POST, OPTIONS from every function', async (method) => {
    expect(functions.length).toBeGreaterThanOrEqual(9);
    for (const name of functions) {
      const response = await fetch(`${stack.url}/functions/v1/${name}`, {
        method, headers: { apikey: stack.anonKey, authorization: `Bearer ${token}`, accept: 'application/json, text/event-stream' },
      });
      await response.text();
      expect({ name, status: response.status, allow: response.headers.get('allow') })
        .toEqual({ name, status: 405, allow: 'POST, OPTIONS' });
    }
  });
});
