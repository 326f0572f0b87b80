import { describe, expect, it } from 'vitest';
import { loadRuntimeConfig, parseRuntimeConfig } from './config.ts';

describe('the runtime configuration', () => {
  it('is read from /renubu-config.json so one build works against any stack', async () => {
    const requested: string[] = [];
    const fakeFetch = (async (url: string) => {
      requested.push(url);
      return new Response(JSON.stringify({ supabaseUrl: 'http://127.0.0.1:54321/', supabaseAnonKey: 'anon',
        demoPeople: { password: 'pw', people: [{ email: 'sam.csm@acme.test', role: 'Senior CSM' }] } }));
    }) as unknown as typeof fetch;
    const config = await loadRuntimeConfig(fakeFetch);
    expect(requested).toEqual(['/renubu-config.json']);
    expect(config).toEqual({ supabaseUrl: 'http://127.0.0.1:54321', supabaseAnonKey: 'anon',
      demoPeople: { password: 'pw', people: [{ email: 'sam.csm@acme.test', role: 'Senior CSM' }] } });
  });

  it('lists no demo people unless the server hands them out', () => {
    expect(parseRuntimeConfig({ supabaseUrl: 'https://x.supabase.co', supabaseAnonKey: 'k' }).demoPeople).toBeNull();
    // an older hosted config's flag names nobody and shows nothing
    expect(parseRuntimeConfig({ supabaseUrl: 'https://x.supabase.co', supabaseAnonKey: 'k', showDemoUsers: true }).demoPeople).toBeNull();
    expect(parseRuntimeConfig({ supabaseUrl: 'https://x.supabase.co', supabaseAnonKey: 'k', demoPeople: { password: 'pw', people: [] } }).demoPeople).toBeNull();
  });

  it('refuses a configuration without an API address', () => {
    expect(() => parseRuntimeConfig({ supabaseAnonKey: 'k' })).toThrow(/supabaseUrl/);
  });
});
