// A workflow definition saved while the orchestrator's run opens and re-ranks workflows of it
// (docs/admin.md "Workflow definitions"; migration 20261207304000). The save locked the
// organisation's workflow row `for update`, and a new name re-renders the queue cards of its
// open workflows, so it waited for a card the run was rewriting (a customer's lower health
// re-ranks its workflows). The run then opened a workflow of the same definition for a new
// customer: its foreign key takes a key share on the workflow's row, which `for update`
// refused, and the two deadlocked (40P01, a 500 to the admin). The save now locks the row
// `for no key update`: the run finishes, then the save goes through.
// The run is held open for real on a direct connection while the admin's save goes through
// supabase-js.
import type pg from 'pg';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDb } from '../support/stack.ts';
import { release, sent, stillWaiting, transactionAs } from '../support/held-transactions.ts';
import { createAdminFixtureOrg, type AdminFixtureOrg } from './admin-fixture-org.ts';

const KEY = 'usage-dip';
/** A workflow of the organisation's own, opened by the orchestrator for a risky customer. */
const definition = (name: string) => ({
  name, type: 'risk', trigger: { kind: 'score', field: 'risk_score', min: 50 }, base_score: 50,
  steps: [{ key: 'look-at-usage', title: 'Look at usage', type: 'review', prompt_template: 'Look at how usage changed.' }],
});

let fixture: AdminFixtureOrg;
let admin: SupabaseClient;
let version: number;

const addRiskyCustomer = async (db: pg.Client, name: string) => (await db.query<{ id: string }>(
  `insert into app.customers (org_id, name, arr, health_score, risk_score, assigned_to)
   values ($1, $2, 100000, 80, 80, $3) returning id`, [fixture.orgId, name, fixture.csmId])).rows[0]!.id;

const openWorkflowsOfDefinition = () => withDb(async (db) => (await db.query<{ name: string }>(
  `select c.name from app.workflow_executions e
     join app.workflows w on w.id = e.workflow_id join app.customers c on c.id = e.customer_id
    where e.org_id = $1 and w.org_id = $1 and w.key = $2 and e.status = 'queued' order by c.name`,
  [fixture.orgId, KEY])).rows.map((r) => r.name));

beforeAll(async () => {
  fixture = await createAdminFixtureOrg('definition-races');
  admin = await fixture.signIn('admin');
  const saved = await admin.rpc('save_workflow_definition', { workflow_key: KEY, definition: definition('Usage dip'), base_version: 0 });
  expect(saved.error).toBeNull();
  version = (saved.data as { version: number }).version;
  await withDb(async (db) => {
    await addRiskyCustomer(db, 'Alpine');
    await db.query('select app.run_orchestrator_for_org($1)', [fixture.orgId]);
  });
  expect(await openWorkflowsOfDefinition()).toEqual(['Alpine']);
});

afterAll(async () => {
  await fixture?.remove();
});

describe('a definition saved during the orchestrator run', () => {
  it('waits for the run instead of deadlocking with it, and both go through', async () => {
    const run = await transactionAs(null);
    try {
      // The run re-ranks Alpine's workflows (its health fell), rewriting their queue cards ...
      await run.query(`update app.customers set health_score = 30 where org_id = $1 and name = 'Alpine'`, [fixture.orgId]);
      // ... while the admin renames the definition, which re-renders those cards.
      const { call, answer } = sent(admin.rpc('save_workflow_definition', {
        workflow_key: KEY, definition: definition('Usage dip, weekly'), base_version: version,
      }));
      expect(await stillWaiting(call)).toBe(true);
      // The run then opens a workflow of the definition for a new risky customer.
      await addRiskyCustomer(run, 'Borealis');
      const opened = await run.query('select app.run_orchestrator_for_org($1)', [fixture.orgId])
        .then(() => null, (error: { code?: string }) => error.code ?? 'error');
      await run.query('commit');
      const { code, data } = await answer;
      expect({ opened, code, name: (data as { name?: string } | null)?.name }).toEqual({ opened: null, code: null, name: 'Usage dip, weekly' });
    } finally {
      await release(run);
    }
    expect(await openWorkflowsOfDefinition()).toEqual(['Alpine', 'Borealis']);
  });
});
