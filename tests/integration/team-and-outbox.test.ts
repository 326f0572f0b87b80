// list_team_members and list_outbox_messages through supabase-js as the seeded people:
// each organisation sees its own people and mail only, an email sent through the
// execute-action function's mail sink is readable in the outbox, anon is refused.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { DEMO_PEOPLE } from '../support/demo-people.ts';
import { anonClient, signedInAs, withDb } from '../support/stack.ts';

interface Member { id: string; full_name: string; email: string; role: string; manager_id: string | null; open_workflows: number }
interface Outbox { items: { id: string; to: string[]; subject: string; status: string; body_text: string; last_error: string | null; sent_at: string | null; requested_by: { full_name: string } | null }[]; next_cursor: string | null }

let csm: SupabaseClient;
let manager: SupabaseClient;
let viewer: SupabaseClient;
let otherCsm: SupabaseClient;
let me: { id: string; org_id: string };

async function call<T>(client: SupabaseClient, fn: string, args: Record<string, unknown> = {}): Promise<T> {
  const { data, error } = await client.rpc(fn, args);
  if (error) throw new Error(`${fn}: ${error.code} ${error.message}`);
  return data as T;
}

beforeAll(async () => {
  [csm, manager, viewer, otherCsm] = await Promise.all([signedInAs('csm'), signedInAs('manager'), signedInAs('viewer'), signedInAs('otherCsm')]);
  me = await call(csm, 'get_my_profile');
});

describe('list_team_members', () => {
  it('lists everyone of the caller\'s organisation by name, with roles, managers and open work', async () => {
    const team = await call<Member[]>(csm, 'list_team_members');
    const emails = team.map((member) => member.email);
    for (const email of [DEMO_PEOPLE.admin, DEMO_PEOPLE.manager, DEMO_PEOPLE.csm, DEMO_PEOPLE.juniorCsm, DEMO_PEOPLE.viewer]) {
      expect(emails).toContain(email);
    }
    const names = team.map((member) => member.full_name);
    expect(names).toEqual([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    const sam = team.find((member) => member.email === DEMO_PEOPLE.csm)!;
    const maria = team.find((member) => member.email === DEMO_PEOPLE.manager)!;
    expect(sam).toMatchObject({ role: 'csm', manager_id: maria.id });
    const open = await withDb((db) => db.query<{ n: number }>(
      `select count(*)::int as n from app.workflow_executions where assigned_to = $1 and status in ('queued', 'in_progress', 'snoozed', 'escalated')`, [sam.id]));
    expect(sam.open_workflows).toBe(open.rows[0]!.n);
    expect(team.find((member) => member.email === DEMO_PEOPLE.viewer)?.role).toBe('viewer');
  });

  it('never shows another organisation\'s people, either way', async () => {
    const acme = (await call<Member[]>(manager, 'list_team_members')).map((member) => member.email);
    const globex = (await call<Member[]>(otherCsm, 'list_team_members')).map((member) => member.email);
    expect(acme).not.toContain(DEMO_PEOPLE.otherCsm);
    expect(globex).toContain(DEMO_PEOPLE.otherCsm);
    expect(globex.some((email) => email.endsWith('@acme.test'))).toBe(false);
  });

  it('refuses anon', async () => {
    const { data, error } = await anonClient().rpc('list_team_members');
    expect(data).toBeNull();
    expect(error).not.toBeNull();
  });
});

describe('list_outbox_messages', () => {
  it('shows an email sent through the mail sink to the team, newest first, and not to another organisation', async () => {
    const subject = `Renewal check-in ${randomUUID().slice(0, 8)}`;
    const customerId = await withDb(async (db) => (await db.query<{ id: string }>(
      `insert into app.customers (org_id, name, arr, health_score, assigned_to) values ($1, $2, 90000, 45, $3) returning id`,
      [me.org_id, `Outbox Co ${randomUUID().slice(0, 8)}`, me.id])).rows[0]!.id);
    const opened = await call<{ id: string }>(csm, 'create_workflow_execution', { customer_id: customerId, workflow_key: 'risk-intervention' });
    await call(csm, 'start_workflow', { execution_id: opened.id });
    const artifactId = await withDb(async (db) => (await db.query<{ id: string }>(
      `insert into app.workflow_task_artifacts (org_id, execution_id, artifact_type, title, content, approved_by, approved_at)
       values ($1, $2, 'email_draft', 'Check-in', $3, $4, now()) returning id`,
      [me.org_id, opened.id, { to: ['cfo@outbox.example'], subject, body: 'Hello from the outbox test.' }, me.id])).rows[0]!.id);
    const sent = await csm.functions.invoke('execute-action', {
      body: { action_key: 'send_email', execution_id: opened.id, params: { artifact_id: artifactId }, idempotency_key: `outbox-${randomUUID()}` },
    });
    expect(sent.error).toBeNull();

    const page = await call<Outbox>(manager, 'list_outbox_messages', { page_size: 10 });
    expect(page.items[0]).toMatchObject({
      subject, to: ['cfo@outbox.example'], status: 'delivered_to_sink', body_text: 'Hello from the outbox test.', last_error: null,
      requested_by: { full_name: 'Sam Senior' },
    });
    expect(page.items[0]!.sent_at).not.toBeNull();
    const forViewer = await call<Outbox>(viewer, 'list_outbox_messages', { page_size: 10 });
    expect(forViewer.items.map((item) => item.subject)).toContain(subject);
    const forOther = await call<Outbox>(otherCsm, 'list_outbox_messages', { page_size: 200 });
    expect(forOther.items.map((item) => item.subject)).not.toContain(subject);
  });

  it('pages by cursor without repeats', async () => {
    await withDb((db) => db.query(
      `insert into app.email_outbox (org_id, to_addresses, subject, body_text, status)
       select $1, array['pages@outbox.example'], 'Paged ' || g, 'Body', 'queued' from generate_series(1, 3) g`, [me.org_id]));
    const first = await call<Outbox>(csm, 'list_outbox_messages', { page_size: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.next_cursor).toEqual(expect.any(String));
    const second = await call<Outbox>(csm, 'list_outbox_messages', { page_size: 2, cursor: first.next_cursor });
    const ids = [...first.items, ...second.items].map((item) => item.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('refuses a bad cursor with 22023, and anon', async () => {
    const { error } = await csm.rpc('list_outbox_messages', { cursor: 'nonsense' });
    expect(error?.code).toBe('22023');
    const anon = await anonClient().rpc('list_outbox_messages');
    expect(anon.error).not.toBeNull();
  });
});
