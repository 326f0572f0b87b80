// The runtime configuration the web server hands out at /renubu-config.json, so one build
// works against any stack (local, test, hosted).
export interface RuntimeConfig {
  supabaseUrl: string;
  supabaseAnonKey: string;
  showDemoUsers: boolean;
}

export async function loadRuntimeConfig(fetchImpl: typeof fetch = fetch): Promise<RuntimeConfig> {
  const response = await fetchImpl('/renubu-config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`The workspace configuration could not be loaded (HTTP ${response.status}).`);
  const body: unknown = await response.json();
  return parseRuntimeConfig(body);
}

export function parseRuntimeConfig(body: unknown): RuntimeConfig {
  if (typeof body !== 'object' || body === null) throw new Error('The workspace configuration is not an object.');
  const { supabaseUrl, supabaseAnonKey, showDemoUsers } = body as Record<string, unknown>;
  if (typeof supabaseUrl !== 'string' || !/^https?:\/\//.test(supabaseUrl)) {
    throw new Error('The workspace configuration has no valid supabaseUrl.');
  }
  if (typeof supabaseAnonKey !== 'string' || supabaseAnonKey === '') {
    throw new Error('The workspace configuration has no supabaseAnonKey.');
  }
  return { supabaseUrl: supabaseUrl.replace(/\/$/, ''), supabaseAnonKey, showDemoUsers: showDemoUsers === true };
}
