// Work of Sam's (the demo CSM) that no other test touches: a customer of their own, and a
// workflow on it already started, so a browser test can act on it without racing another.
import { randomUUID } from 'node:crypto';
import { withDb } from '../../support/stack.ts';
import { rpcAs } from './api.ts';

/** A new customer assigned to Sam, named `<name> <6 random characters>`; its id. */
export async function freshCustomer(name: string): Promise<string> {
  return (await freshCustomerNamed(name)).id;
}

/** The same, with the name it was given (to find it in the queue by). */
export async function freshCustomerNamed(name: string): Promise<{ id: string; name: string }> {
  const me = await rpcAs<{ id: string; org_id: string }>('csm', 'get_my_profile');
  const unique = `${name} ${randomUUID().slice(0, 6)}`;
  const id = await withDb(async (db) => (await db.query<{ id: string }>(
    `insert into app.customers (org_id, name, arr, health_score, assigned_to) values ($1, $2, 95000, 61, $3) returning id`,
    [me.data.org_id, unique, me.data.id])).rows[0]!.id);
  return { id, name: unique };
}

/** A fresh customer of Sam's with a started Risk Intervention workflow; the workflow's id. */
export async function startedWorkflow(name: string): Promise<string> {
  const customerId = await freshCustomer(name);
  const opened = await rpcAs<{ id: string }>('csm', 'create_workflow_execution', { customer_id: customerId, workflow_key: 'risk-intervention' });
  if (opened.status !== 200) throw new Error(`create_workflow_execution answered ${opened.status}`);
  const started = await rpcAs('csm', 'start_workflow', { execution_id: opened.data.id });
  if (started.status !== 200) throw new Error(`start_workflow answered ${started.status}`);
  return opened.data.id;
}
