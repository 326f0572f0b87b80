// A person changed by an admin while work is being handed to them (docs/admin.md, "Deactivating
// someone"; docs/workflow-engine.md "Locks"; migration 20261207300000). Open work never moves
// to someone who cannot take it, and the deactivation's answer lists all the work left with
// them, so the two must take turns:
// - Made a viewer while a manager hands them a workflow: the role change locked the person's
//   row, then its trigger waited for their workload lock, which the reassignment held while
//   its foreign key waited for the person's row: a deadlock (40P01, a 500). The change now
//   takes the person's workload lock before their row, as every writer of their work does.
// - Deactivated while a workflow or a task is handed to them: the hand-over read the person
//   as active before the deactivation committed, waited only in its foreign key, and then
//   left the work with a deactivated person, missing from the deactivation's list of their
//   open work. The assignment now locks the person's row (the key share its foreign key
//   takes anyway) before asking whether they can take work, so it reads the deactivation.
// - A CSM's level changed while the orchestrator's run re-ranks one of their workflows and
//   opens another for them: the change locked the person's row, then waited to re-rank the
//   workflow the run held; the run's new workflow, assigned to the CSM, waited in its
//   foreign key for a key share on that row: a deadlock (a 500 to the admin). The run takes
//   the CSM's workload lock first, and so does the change now, so it waits for the run.
// - Two changes of reporting lines at once closing a loop (Milo reports to Max; Mona is made
//   Milo's report while Max is made Mona's): each asked whether the new manager already
//   reported to the person before the other committed, and both were written, a loop the
//   rule refuses one change at a time. Changes of reporting lines now take turns per
//   organisation, and the second is refused.
// - A renewal's outcome recorded while the CSM's level is changed: the outcome locked the
//   customer and its renewals, then waited in its foreign key for a key share on the CSM's row,
//   which the change held while it waited to re-rank that renewal: a deadlock (a 500 to one of
//   the two). The outcome now takes the workloads of the customer's people first, as the run
//   and every writer of a workflow do, then the customer, then its renewals, so it waits.
// - Deactivated during the orchestrator's run: the run opens its new work in one insert whose
//   per-row check of the assignee is idle (it reads who cannot take work once, before the
//   insert), so a deactivation committing between that read and the insert would leave new
//   work with a deactivated person, missing from the deactivation's list. The run holds the
//   workload locks of everyone it hands work to from before that read (app.orchestrator_lock_scope)
//   and a deactivation takes the person's workload lock first, so one waits for the other:
//   a deactivation first is read by the run (the work opens unassigned), a run first is
//   waited for (its work is in the deactivation's list).
// Each race is held open for real on a direct connection while the other call goes through
// supabase-js.
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDb } from '../support/stack.ts';
import { release, sent, stillWaiting, transactionAs } from '../support/held-transactions.ts';
import { createAdminFixtureOrg, type AdminFixtureOrg } from './admin-fixture-org.ts';

let fixture: AdminFixtureOrg;
let admin: SupabaseClient;
let csm: SupabaseClient;
/** Colleagues who are changed while work goes to them, by name. */
const person: Record<string, string> = {};
/** An open renewal of the fixture's CSM per customer, by name. */
const workflow: Record<string, string> = {};
const PEOPLE = ['Vera', 'Dora', 'Tadeo', 'Mona', 'Milo', 'Max', 'Ravi', 'Rita'];
const MANAGERS = ['Mona', 'Milo', 'Max'];
const CUSTOMERS = ['Handed', 'Deactivated', 'Tasked', 'Levelled', 'Closing'];

beforeAll(async () => {
  fixture = await createAdminFixtureOrg('people-races');
  await withDb(async (db) => {
    for (const name of PEOPLE) {
      const email = `${name.toLowerCase()}-${fixture.orgId}@people-races.test`;
      const { rows: [p] } = await db.query<{ id: string }>(
        `with u as (
           insert into auth.users (instance_id, id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
           values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated', $2, '{}', '{}', now(), now())
           returning id)
         insert into app.profiles (id, org_id, role, full_name, email, experience_level)
         select u.id, $1, $4, $3, $2, 'senior' from u returning id`,
        [fixture.orgId, email, name, MANAGERS.includes(name) ? 'manager' : 'csm']);
      person[name] = p!.id;
    }
    for (const name of CUSTOMERS) {
      await db.query(
        `insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
         values ($1, $2, 100000, 80, app.organisation_today($1) + 40, $3)`, [fixture.orgId, name, fixture.csmId]);
    }
    await db.query('select app.run_orchestrator_for_org($1)', [fixture.orgId]);
    const { rows } = await db.query<{ name: string; id: string }>(
      `select c.name, e.id from app.customers c join app.workflow_executions e on e.customer_id = c.id
        where c.org_id = $1 and e.renewal_stage is not null and e.status = 'queued'`, [fixture.orgId]);
    for (const r of rows) workflow[r.name] = r.id;
  });
  expect(Object.keys(workflow).sort()).toEqual([...CUSTOMERS].sort());
  admin = await fixture.signIn('admin');
  csm = await fixture.signIn('csm');
});

afterAll(async () => {
  await fixture?.remove();
  const ids = Object.values(person);
  if (ids.length) await withDb((db) => db.query('delete from auth.users where id = any($1::uuid[])', [ids]));
});

const assigneeOf = (executionId: string) => withDb(async (db) =>
  (await db.query<{ assigned_to: string | null }>('select assigned_to from app.workflow_executions where id = $1', [executionId])).rows[0]!.assigned_to);

describe('a person changed while work is handed to them', () => {
  it('made a viewer while a workflow is handed to them: both go through in turn, no deadlock', async () => {
    const vera = person.Vera!;
    const executionId = workflow.Handed!;
    const handing = await transactionAs(null);
    try {
      // A reassignment to Vera holds her workload lock first (app.lock_execution_for_manager).
      await handing.query(`select pg_advisory_xact_lock(hashtextextended('renubu.workload:' || $1, 0))`, [vera]);
      const { call, answer } = sent(admin.rpc('update_person', { profile_id: vera, changes: { role: 'viewer' } }));
      expect(await stillWaiting(call)).toBe(true);
      // ... then writes the workflow, whose foreign key takes a key share on Vera's row.
      const handed = await handing.query('update app.workflow_executions set assigned_to = $2 where id = $1', [executionId, vera])
        .then(() => null, (error: { code?: string }) => error.code ?? 'error');
      await handing.query('commit');
      expect({ handed, role: await answer.then((a) => a.code ?? (a.data as { person: { role: string } }).person.role) })
        .toEqual({ handed: null, role: 'viewer' });
    } finally {
      await release(handing);
    }
    // Made a viewer after the hand-over committed: the workflow went back to the team.
    expect(await assigneeOf(executionId)).toBeNull();
  });

  it('deactivated while a workflow is handed to them: the hand-over is refused, the workflow stays', async () => {
    const dora = person.Dora!;
    const executionId = workflow.Deactivated!;
    const deactivating = await transactionAs(fixture.adminId);
    try {
      await deactivating.query(`select public.update_person($1, '{"active": false}')`, [dora]);
      const { call, answer } = sent(admin.rpc('reassign_workflow', { execution_id: executionId, assignee_id: dora, reason: 'Dora knows them' }));
      expect(await stillWaiting(call)).toBe(true);
      await deactivating.query('commit');
      const { code, message } = await answer;
      expect({ code, message }).toEqual({ code: '22023', message: 'assignee_id has been deactivated and cannot take work' });
    } finally {
      await release(deactivating);
    }
    expect(await assigneeOf(executionId)).toBe(fixture.csmId);
  });

  it('deactivated while a task is given to them: the task is refused, nothing is made', async () => {
    const tadeo = person.Tadeo!;
    const executionId = workflow.Tasked!;
    const customerId = await withDb(async (db) =>
      (await db.query<{ customer_id: string }>('select customer_id from app.workflow_executions where id = $1', [executionId])).rows[0]!.customer_id);
    const deactivating = await transactionAs(fixture.adminId);
    try {
      await deactivating.query(`select public.update_person($1, '{"active": false}')`, [tadeo]);
      const { call, answer } = sent(csm.rpc('create_task', {
        title: 'Send the renewal quote', customer_id: customerId, execution_id: executionId, assigned_to: tadeo,
      }));
      expect(await stillWaiting(call)).toBe(true);
      await deactivating.query('commit');
      const { code, message } = await answer;
      expect({ code, message }).toEqual({ code: '22023', message: 'assigned_to has been deactivated and cannot take work' });
    } finally {
      await release(deactivating);
    }
    const tasks = await withDb((db) => db.query('select title from app.workflow_tasks where assigned_to = $1', [tadeo]));
    expect(tasks.rows).toEqual([]);
  });

  it('given managers closing a loop at once: the second is refused, no reporting loop', async () => {
    const [mona, milo, max] = [person.Mona!, person.Milo!, person.Max!];
    await withDb((db) => db.query('update app.profiles set manager_id = $2 where id = $1', [milo, max]));
    const first = await transactionAs(fixture.adminId);
    try {
      await first.query('select public.update_person($1, jsonb_build_object(\'manager_id\', $2::text))', [mona, milo]);
      const { call, answer } = sent(admin.rpc('update_person', { profile_id: max, changes: { manager_id: mona } }));
      expect(await stillWaiting(call)).toBe(true);
      await first.query('commit');
      const { code, message } = await answer;
      expect({ code, message }).toEqual({ code: '22023', message: 'That manager reports to this person already' });
    } finally {
      await release(first);
    }
    const lines = await withDb((db) => db.query<{ full_name: string; manager_id: string | null }>(
      'select full_name, manager_id from app.profiles where id = any($1::uuid[]) order by full_name', [[mona, milo, max]]));
    expect(lines.rows).toEqual([
      { full_name: 'Max', manager_id: null }, { full_name: 'Milo', manager_id: max }, { full_name: 'Mona', manager_id: milo }]);
  });

  it("a CSM's level changed while the orchestrator re-ranks and opens their workflows: both go through, no deadlock", async () => {
    const run = await transactionAs(null);
    try {
      // The run takes the workload locks of the people whose customers it looks at
      // (app.orchestrator_lock_scope), then re-ranks the CSM's workflow of a customer whose
      // health fell ...
      await run.query(`select pg_advisory_xact_lock(hashtextextended('renubu.workload:' || $1, 0))`, [fixture.csmId]);
      await run.query(`update app.customers set health_score = 30 where org_id = $1 and name = 'Levelled'`, [fixture.orgId]);
      // ... while an admin changes the CSM's level, which re-ranks all their workflows.
      const { call, answer } = sent(admin.rpc('update_person', { profile_id: fixture.csmId, changes: { experience_level: 'junior' } }));
      expect(await stillWaiting(call)).toBe(true);
      // The run then opens a workflow for a new customer of the CSM.
      await run.query(
        `insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
         values ($1, 'Newcomer', 100000, 80, app.organisation_today($1) + 40, $2)`, [fixture.orgId, fixture.csmId]);
      const opened = await run.query('select app.run_orchestrator_for_org($1)', [fixture.orgId])
        .then(() => null, (error: { code?: string }) => error.code ?? 'error');
      await run.query('commit');
      const { code, data } = await answer;
      expect({ opened, code, level: (data as { person?: { experience_level?: string } } | null)?.person?.experience_level })
        .toEqual({ opened: null, code: null, level: 'junior' });
    } finally {
      await release(run);
    }
  });

  it("a renewal's outcome recorded while the CSM's level is changed: both go through in turn, no deadlock", async () => {
    const executionId = workflow.Closing!;
    await withDb((db) => db.query(`update app.profiles set experience_level = 'junior' where id = $1`, [fixture.csmId]));
    const changing = await transactionAs(fixture.adminId);
    try {
      // A change of the CSM holds their workload lock, then their row (a new title re-ranks nothing) ...
      await changing.query(`select public.update_person($1, '{"title": "Renewals lead"}')`, [fixture.csmId]);
      const { call, answer } = sent(csm.rpc('record_renewal_outcome', { execution_id: executionId, outcome: 'renewed' }));
      expect(await stillWaiting(call)).toBe(true);
      // ... and then their level, which re-ranks every open workflow of theirs, this renewal among them.
      const levelled = await changing.query(`select public.update_person($1, '{"experience_level": "senior"}')`, [fixture.csmId])
        .then(() => null, (error: { code?: string }) => error.code ?? 'error');
      await changing.query('commit');
      const { code, message } = await answer;
      expect({ levelled, code, message }).toEqual({ levelled: null, code: null, message: null });
    } finally {
      await release(changing);
    }
    const outcomes = await withDb((db) => db.query(
      'select o.outcome from app.renewal_outcomes o where o.execution_id = $1', [executionId]));
    expect(outcomes.rows).toEqual([{ outcome: 'renewed' }]);
  });

  describe("deactivated during the orchestrator's run, which opens work for them", () => {
    const newCustomerOf = (name: string, who: string) => withDb(async (db) => (await db.query<{ id: string }>(
      `insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
       values ($1, $2, 100000, 80, app.organisation_today($1) + 40, $3) returning id`, [fixture.orgId, name, who])).rows[0]!.id);
    const openWorkOf = (customerId: string) => withDb(async (db) => (await db.query<{ id: string; assigned_to: string | null }>(
      `select id, assigned_to from app.workflow_executions
        where customer_id = $1 and status in ('queued', 'in_progress', 'snoozed', 'escalated') order by id`, [customerId])).rows);

    it('a deactivation first: the run waits for it, and opens the work unassigned', async () => {
      const ravi = person.Ravi!;
      const customerId = await newCustomerOf('Ravi Co', ravi);
      const deactivating = await transactionAs(fixture.adminId);
      const run = await transactionAs(null);
      try {
        await deactivating.query(`select public.update_person($1, '{"active": false}')`, [ravi]);
        const ran = run.query(`select app.run_orchestrator_for_org($1) ->> 'created' as n`, [fixture.orgId])
          .then((r) => Number(r.rows[0]!.n), (error: { code?: string }) => `error ${error.code}`);
        expect(await stillWaiting(ran)).toBe(true);
        await deactivating.query('commit');
        expect(await ran).toBeGreaterThan(0);
        await run.query('commit');
      } finally {
        await release(deactivating);
        await release(run);
      }
      const opened = await openWorkOf(customerId);
      expect(opened.length).toBeGreaterThan(0);
      expect(opened.map((w) => w.assigned_to)).toEqual(opened.map(() => null));
    });

    it("the run first: the deactivation waits for it, and lists the run's new work among theirs", async () => {
      const rita = person.Rita!;
      const customerId = await newCustomerOf('Rita Co', rita);
      const run = await transactionAs(null);
      try {
        const { rows: [ran] } = await run.query(`select app.run_orchestrator_for_org($1) ->> 'created' as n`, [fixture.orgId]);
        expect(Number(ran!.n)).toBeGreaterThan(0);
        const { call, answer } = sent(admin.rpc('update_person', { profile_id: rita, changes: { active: false } }));
        expect(await stillWaiting(call)).toBe(true);
        await run.query('commit');
        const { code, data } = await answer;
        const listed = (data as { open_work?: { executions?: { id: string }[] } } | null)?.open_work?.executions?.map((e) => e.id).sort();
        const opened = await openWorkOf(customerId);
        expect(opened.length).toBeGreaterThan(0);
        expect({ code, assignees: opened.map((w) => w.assigned_to), listed })
          .toEqual({ code: null, assignees: opened.map(() => rita), listed: opened.map((w) => w.id) });
      } finally {
        await release(run);
      }
    });
  });
});

