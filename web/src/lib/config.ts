// The runtime configuration the web server hands out at /renubu-config.json, so one build
// works against any stack (local, test, hosted).
export interface RuntimeConfig {
  supabaseUrl: string;
  supabaseAnonKey: string;
  /**
   * The seeded demo people, one click each on the sign-in page: handed out by the local
   * stack's web server only, never built into the bundle (a hosted config has none).
   */
  demoPeople: DemoSignIn | null;
}

export interface DemoSignIn {
  password: string;
  people: { email: string; role: string }[];
}

export async function loadRuntimeConfig(fetchImpl: typeof fetch = fetch): Promise<RuntimeConfig> {
  const response = await fetchImpl('/renubu-config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`The workspace configuration could not be loaded (HTTP ${response.status}).`);
  const body: unknown = await response.json();
  return parseRuntimeConfig(body);
}

export function parseRuntimeConfig(body: unknown): RuntimeConfig {
  if (typeof body !== 'object' || body === null) throw new Error('The workspace configuration is not an object.');
  const { supabaseUrl, supabaseAnonKey, demoPeople } = body as Record<string, unknown>;
  if (typeof supabaseUrl !== 'string' || !/^https?:\/\//.test(supabaseUrl)) {
    throw new Error('The workspace configuration has no valid supabaseUrl.');
  }
  if (typeof supabaseAnonKey !== 'string' || supabaseAnonKey === '') {
    throw new Error('The workspace configuration has no supabaseAnonKey.');
  }
  return { supabaseUrl: supabaseUrl.replace(/\/$/, ''), supabaseAnonKey, demoPeople: parseDemoPeople(demoPeople) };
}

/** The demo sign-ins when the server hands out a well-formed list, else none. */
function parseDemoPeople(value: unknown): DemoSignIn | null {
  if (typeof value !== 'object' || value === null) return null;
  const { password, people } = value as Record<string, unknown>;
  if (typeof password !== 'string' || !Array.isArray(people)) return null;
  const listed = people.filter((person): person is { email: string; role: string } =>
    typeof person === 'object' && person !== null
    && typeof (person as Record<string, unknown>).email === 'string' && typeof (person as Record<string, unknown>).role === 'string');
  return listed.length > 0 ? { password, people: listed.map(({ email, role }) => ({ email, role })) } : null;
}
