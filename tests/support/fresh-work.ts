// Work of Sam's (the demo CSM) that no other test touches: a customer of their own, and a
// workflow on it, so a test can act on it without racing another test that escalates or
// snoozes the queue's first item at the same moment.
import { randomUUID } from 'node:crypto';
import { signedInAs, withDb } from './stack.ts';

/** A new customer assigned to Sam, named `<name> <6 random characters>`, with that name. */
export async function freshCustomerNamed(name: string): Promise<{ id: string; name: string }> {
  const sam = await signedInAs('csm');
  const { data, error } = await sam.rpc('get_my_profile');
  if (error) throw new Error(`get_my_profile: ${error.message}`);
  const me = data as { id: string; org_id: string };
  const unique = `${name} ${randomUUID().slice(0, 6)}`;
  const id = await withDb(async (db) => (await db.query<{ id: string }>(
    `insert into app.customers (org_id, name, arr, health_score, assigned_to) values ($1, $2, 95000, 61, $3) returning id`,
    [me.org_id, unique, me.id])).rows[0]!.id);
  return { id, name: unique };
}

/** A new customer assigned to Sam (see freshCustomerNamed); its id. */
export async function freshCustomer(name: string): Promise<string> {
  return (await freshCustomerNamed(name)).id;
}

/** A fresh customer of Sam's with a Risk Intervention workflow opened (queued); the workflow's id. */
export async function openedWorkflow(name: string): Promise<string> {
  const customerId = await freshCustomer(name);
  const sam = await signedInAs('csm');
  const { data, error } = await sam.rpc('create_workflow_execution', { customer_id: customerId, workflow_key: 'risk-intervention' });
  if (error) throw new Error(`create_workflow_execution: ${error.message}`);
  return (data as { id: string }).id;
}

/** The same, started (in progress); the workflow's id. */
export async function startedWorkflow(name: string): Promise<string> {
  const executionId = await openedWorkflow(name);
  const sam = await signedInAs('csm');
  const { error } = await sam.rpc('start_workflow', { execution_id: executionId });
  if (error) throw new Error(`start_workflow: ${error.message}`);
  return executionId;
}
