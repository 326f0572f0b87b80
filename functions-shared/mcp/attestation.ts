// How the database knows that a call comes from the MCP server, for which agent: every RPC an
// agent's tool makes carries, beside the person's own token, `x-renubu-agent` (the agent's name,
// base64 of its UTF-8) and `x-renubu-agent-proof`, an HMAC-SHA-256 over "<token>:<name>" with a
// secret only the database and the service role can read (public.agent_attestation_key). The
// database believes the name only with its proof (app.calling_agent) and stamps it itself on
// what the agent writes: a person's own call, or any client's headers, cannot claim an agent,
// and an agent's write through this server cannot pass as the person's (docs/agents.md, "Who
// logged it"). The proof never leaves the server: it goes from this function to the database.
import type { SupabaseClient } from '@supabase/supabase-js';
import { bearerToken, callerClient, serviceClient, type FunctionEnv } from '../http.ts';
import { rpc } from '../api/rpc.ts';
import { base64OfUtf8 } from '../base64.ts';

/**
 * How long an instance signs with the secret it read before reading it again. A rotation
 * (app.rotate_agent_attestation_secret) keeps the previous secret believed for an hour, so
 * every instance moves to the new one well within it, and none needs a redeploy.
 */
const ATTESTATION_KEY_SECONDS = 60;

/** The secret as an HMAC key, read once a minute per instance (and again after a failure). */
let cachedAttestation: { key: Promise<CryptoKey>; readAt: number } | null = null;

function keyFor(env: FunctionEnv): Promise<CryptoKey> {
  if (cachedAttestation && Date.now() - cachedAttestation.readAt < ATTESTATION_KEY_SECONDS * 1000) return cachedAttestation.key;
  const read = { readAt: Date.now(), key: (async () => {
    const hex = await rpc(serviceClient(env), 'agent_attestation_key', {});
    const bytes = new Uint8Array(hex.match(/../g)!.map((pair) => parseInt(pair, 16)));
    return crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  })() };
  read.key.catch(() => {
    if (cachedAttestation === read) cachedAttestation = null;
  });
  cachedAttestation = read;
  return read.key;
}

/** The proof app.agent_proof computes: hex HMAC-SHA-256 of "<token>:<name as base64>". */
async function proofFor(key: CryptoKey, token: string, agentBase64: string): Promise<string> {
  const signature = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${token}:${agentBase64}`));
  return Array.from(new Uint8Array(signature), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * supabase-js acting as the person whose token the request carries, each call attested as the
 * named agent's. The token was classified a person's by the caller (bearerKind); the database
 * verifies it again on every call.
 */
export async function agentClient(req: Request, env: FunctionEnv, agentName: string): Promise<SupabaseClient> {
  const token = bearerToken(req)!;
  // Base64 of the name's UTF-8: a header carries ASCII only; the database decodes it the same way.
  const agent = base64OfUtf8(agentName);
  const proof = await proofFor(await keyFor(env), token, agent);
  // The bearer sent as `Bearer <token>`, the one spelling the database reads the proof's token from.
  return callerClient(req, env, { Authorization: `Bearer ${token}`, 'x-renubu-agent': agent, 'x-renubu-agent-proof': proof });
}
