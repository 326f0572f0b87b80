import { describe, expect, it } from 'vitest';
import { loadRuntimeConfig, parseRuntimeConfig } from './config.ts';

describe('the runtime configuration', () => {
  it('is read from /renubu-config.json so one build works against any stack', async () => {
    const requested: string[] = [];
    const fakeFetch = (async (url: string) => {
      requested.push(url);
      return new Response(JSON.stringify({ supabaseUrl: 'http://127.0.0.1:54321/', supabaseAnonKey: 'anon', showDemoUsers: true }));
    }) as unknown as typeof fetch;
    const config = await loadRuntimeConfig(fakeFetch);
    expect(requested).toEqual(['/renubu-config.json']);
    expect(config).toEqual({ supabaseUrl: 'http://127.0.0.1:54321', supabaseAnonKey: 'anon', showDemoUsers: true });
  });

  it('hides the demo people unless the server says to show them', () => {
    expect(parseRuntimeConfig({ supabaseUrl: 'https://x.supabase.co', supabaseAnonKey: 'k' }).showDemoUsers).toBe(false);
  });

  it('refuses a configuration without an API address', () => {
    expect(() => parseRuntimeConfig({ supabaseAnonKey: 'k' })).toThrow(/supabaseUrl/);
  });
});
