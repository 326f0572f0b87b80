// A customer's or a person's hand-over sent while another is being applied (a double click
// without a key, two managers at once): the second is answered for the work as the first left
// it, and tells no one of what it did not move. Each race is held open for real: the first
// hand-over waits uncommitted on a direct connection while the second goes through the API.
// Before (migration 20261210300000), both read the customer and what the new owner held
// before taking the workload locks, so the second answered 200 with the first's work as its
// own ("4 workflows"), wrote a second audit entry and sent both people a second notice; a
// customer taken by someone else meanwhile was recorded and announced as handed over by its
// previous CSM (migration 20261210600000).
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDb } from '../support/stack.ts';
import { release, sent, stillWaiting, transactionAs } from '../support/held-transactions.ts';
import { createFixtureOrg, type FixtureOrg } from './ingest-fixtures.ts';

let fixture: FixtureOrg;
let manager: SupabaseClient;
/** Three CSMs of the fixture organisation who never sign in, by name. */
const person: Record<string, string> = {};
/** Customers of Owen's, each with an open renewal, by name. */
const customer: Record<string, string> = {};

beforeAll(async () => {
  fixture = await createFixtureOrg('hand-overs');
  await withDb(async (db) => {
    await db.query(`update app.profiles set role = 'manager' where id = $1`, [fixture.csmId]);
    for (const name of ['Owen', 'Tess', 'Olga', 'Leah']) {
      const { rows: [p] } = await db.query<{ id: string }>(
        `with u as (
           insert into auth.users (instance_id, id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
           values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated',
                   lower($2) || '-' || $3 || '@hand-overs.test', '{}', '{}', now(), now())
           returning id)
         insert into app.profiles (id, org_id, role, full_name, email)
         select u.id, $1, 'csm', $2, lower($2) || '-' || $3 || '@hand-overs.test' from u returning id`,
        [fixture.orgId, name, fixture.slug]);
      person[name] = p!.id;
    }
    for (const [name, owner] of [['Twice', 'Owen'], ['Taken', 'Owen'], ['Leavers', 'Leah']] as const) {
      const { rows: [c] } = await db.query<{ id: string }>(
        `insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
         values ($1, $2, 100000, 80, app.organisation_today($1) + 40, $3) returning id`, [fixture.orgId, name, person[owner]]);
      customer[name] = c!.id;
    }
    await db.query('select app.run_orchestrator_for_org($1)', [fixture.orgId]);
  });
  manager = await fixture.signIn();
});

afterAll(async () => {
  await fixture?.remove();
  const ids = Object.values(person);
  if (ids.length) await withDb((db) => db.query('delete from auth.users where id = any($1)', [ids]));
});

/** The notifications whose title names `about`, sorted, and the audit entries of `entityId`, in order (whom from and to; the customer's name, in both sides, left out). */
const written = (about: string, entityId: string) => withDb(async (db) => (await db.query<{ notices: string[]; audit: unknown[] }>(
  `select (select coalesce(array_agg(p.full_name || ': ' || n.title order by p.full_name || ': ' || n.title), '{}')
             from app.notifications n join app.profiles p on p.id = n.user_id
            where n.org_id = $1 and strpos(n.title, $2) > 0) as notices,
          (select coalesce(jsonb_agg(jsonb_build_object('before', a.before - 'name', 'to', a.after -> 'assigned_to') order by a.id), '[]')
             from app.admin_audit_log a where a.org_id = $1 and a.entity_id = $3) as audit`,
  [fixture.orgId, about, entityId])).rows[0]!);

/** `sql` run as the fixture's manager on a held transaction, left uncommitted. */
async function heldByAnotherManager(sql: string, args: unknown[]) {
  const held = await transactionAs(fixture.csmId);
  await held.query(sql, args);
  return held;
}

describe('a hand-over sent while another is applied', () => {
  it('the same customer to the same CSM twice: the second is done already (200, nothing handed over), one notice each, one audit entry', async () => {
    const args = { customer_id: customer.Twice, assignee_id: person.Tess, reason: 'Owen leaves' };
    const held = await heldByAnotherManager('select public.reassign_customer($1, $2, $3)', [args.customer_id, args.assignee_id, args.reason]);
    try {
      const { call, answer } = sent(manager.rpc('reassign_customer', args));
      expect(await stillWaiting(call)).toBe(true);
      await held.query('commit');
      // Its CSM already: nothing to do, answered as done (migration 20261216330000).
      expect(await answer).toMatchObject({ code: null, data: { assignee_id: person.Tess, previous_assignee_id: person.Tess,
                                                            handed_over: { customers: 0, workflows: 0, tasks: 0 } } });
    } finally {
      await release(held);
    }
    expect(await written('Twice', customer.Twice!)).toEqual({
      notices: ['Owen: Twice was handed to Tess (3 workflows)', 'Tess: Handed to you: Twice (3 workflows)'],
      audit: [{ before: { assigned_to: person.Owen }, to: person.Tess }],
    });
  });

  it('a customer another manager just gave to someone else: handed over from them, and they are the one told', async () => {
    const held = await heldByAnotherManager('select public.reassign_customer($1, $2, $3)', [customer.Taken, person.Tess, 'Owen leaves']);
    try {
      const { call, answer } = sent(manager.rpc('reassign_customer', { customer_id: customer.Taken, assignee_id: person.Olga, reason: 'Olga knows them' }));
      expect(await stillWaiting(call)).toBe(true);
      await held.query('commit');
      expect(await answer).toMatchObject({
        code: null,
        data: { previous_assignee_id: person.Tess, handed_over: { customers: 1, workflows: 3, tasks: 0 } },
      });
    } finally {
      await release(held);
    }
    expect(await written('Taken', customer.Taken!)).toEqual({
      notices: [
        'Olga: Handed to you: Taken (3 workflows)',
        'Owen: Taken was handed to Tess (3 workflows)',
        'Tess: Handed to you: Taken (3 workflows)',
        'Tess: Taken was handed to Olga (3 workflows)',
      ],
      audit: [{ before: { assigned_to: person.Owen }, to: person.Tess }, { before: { assigned_to: person.Tess }, to: person.Olga }],
    });
  });

  it('a person\'s whole book handed over twice: the second moved nothing, says so, and writes nothing', async () => {
    const args = { profile_id: person.Leah, assignee_id: person.Tess, reason: 'Leah leaves' };
    const held = await heldByAnotherManager('select public.hand_over_work($1, $2, $3)', [args.profile_id, args.assignee_id, args.reason]);
    try {
      const { call, answer } = sent(manager.rpc('hand_over_work', args));
      expect(await stillWaiting(call)).toBe(true);
      await held.query('commit');
      expect(await answer).toMatchObject({ code: null, data: { handed_over: { customers: 0, workflows: 0, tasks: 0 } } });
    } finally {
      await release(held);
    }
    expect(await written('Leah\'s work', person.Leah!)).toEqual({
      notices: ['Leah: Leah\'s work was handed to Tess (1 customer and 3 workflows)', 'Tess: Handed to you: Leah\'s work, 1 customer and 3 workflows'],
      audit: [{ before: null, to: person.Tess }],
    });
  });
});
