// The API as the tests' "other hand": what the server says, to compare with what the
// browser shows. Plain fetch against the gateway (GoTrue token, PostgREST RPC), the same
// HTTP supabase-js speaks.
import { DEMO_PASSWORD, DEMO_PEOPLE, type DemoPerson } from '../../support/demo-people.ts';
import { stack } from '../../support/stack.ts';

// A stack that does not answer fails the test quickly instead of hanging the hook.
const REQUEST_TIMEOUT_MS = 15_000;

export interface RpcAnswer<T> {
  status: number;
  data: T;
}

export async function tokenFor(person: DemoPerson): Promise<string> {
  const response = await fetch(`${stack.url}/auth/v1/token?grant_type=password`, {
    method: 'POST',
    headers: { apikey: stack.anonKey, 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: DEMO_PEOPLE[person], password: DEMO_PASSWORD }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`sign-in as ${person} failed (${response.status})`);
  return body.access_token;
}

export async function rpcAs<T = unknown>(person: DemoPerson, fn: string, args: Record<string, unknown> = {}): Promise<RpcAnswer<T>> {
  const token = await tokenFor(person);
  const response = await fetch(`${stack.url}/rest/v1/rpc/${fn}`, {
    method: 'POST',
    headers: { apikey: stack.anonKey, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(args),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  return { status: response.status, data: (text ? JSON.parse(text) : null) as T };
}

/** Calls an Edge Function as the person (JSON, not streamed). */
export async function functionAs<T = unknown>(person: DemoPerson, name: string, body: Record<string, unknown>): Promise<RpcAnswer<T>> {
  const token = await tokenFor(person);
  const response = await fetch(`${stack.url}/functions/v1/${name}`, {
    method: 'POST',
    headers: { apikey: stack.anonKey, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  return { status: response.status, data: (text ? JSON.parse(text) : null) as T };
}
