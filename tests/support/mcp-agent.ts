// An MCP client speaking to the stack's `mcp` function as a signed-in person (their own access
// token, as an agent they connect would), and the first item of that person's queue: the
// set-up the MCP integration tests share.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { SupabaseClient } from '@supabase/supabase-js';
import { stack } from './stack.ts';

/** A connected MCP client named `clientName`, calling with `person`'s access token. */
export async function mcpAgentOf(person: SupabaseClient, clientName: string): Promise<Client> {
  const token = (await person.auth.getSession()).data.session!.access_token;
  const agent = new Client({ name: clientName, version: '1.0.0' });
  await agent.connect(new StreamableHTTPClientTransport(new URL(`${stack.url}/functions/v1/mcp`), {
    requestInit: { headers: { Authorization: `Bearer ${token}`, apikey: stack.anonKey } },
  }));
  return agent;
}

/** The first item of `person`'s work queue: its workflow execution and its customer. */
export async function firstQueuedItem(person: SupabaseClient): Promise<{ executionId: string; customerId: string }> {
  const { data, error } = await person.rpc('get_workflow_queue', { page_size: 5 });
  if (error) throw new Error(error.message);
  const item = (data as { items: { execution_id: string; customer: { id: string } }[] }).items[0]!;
  return { executionId: item.execution_id, customerId: item.customer.id };
}
