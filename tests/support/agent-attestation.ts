// A client whose calls the database takes for the MCP server's on behalf of an agent: the
// person's own token plus the attestation headers functions-shared/mcp/attestation.ts sends
// (x-renubu-agent, base64 of the name; x-renubu-agent-proof, hex HMAC-SHA-256 of
// "<token>:<name as base64>" with the secret the service role reads). For tests that call
// create_agent_draft or propose_action as the MCP server does (docs/agents.md "Who logged it").
import { createHmac } from 'node:crypto';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { serviceClient, stack } from './stack.ts';

export async function attestedAs(person: SupabaseClient, agent: string): Promise<SupabaseClient> {
  const token = (await person.auth.getSession()).data.session!.access_token;
  const { data: secret, error } = await serviceClient().rpc('agent_attestation_key');
  if (error) throw new Error(`agent_attestation_key: ${error.message}`);
  const name = Buffer.from(agent, 'utf8').toString('base64');
  const proof = createHmac('sha256', Buffer.from(secret as string, 'hex')).update(`${token}:${name}`).digest('hex');
  return createClient(stack.url, stack.anonKey, {
    global: { headers: { Authorization: `Bearer ${token}`, 'x-renubu-agent': name, 'x-renubu-agent-proof': proof } },
    auth: { persistSession: false, autoRefreshToken: false },
  });
}
