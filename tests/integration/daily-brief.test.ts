// The `daily-brief` function through the gateway: the scheduler's service role writes a
// person's brief over facts stored first; a person may ask for their own and nobody else's;
// the brief's sentences cite its facts, and the daily digest is queued in the outbox.
import { beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { signedInAs, stack, withDb } from '../support/stack.ts';

interface Brief {
  id: string; first: boolean; text: string; model: string; facts: { id: string; kind: string }[];
  sentences: { text: string; facts: string[] }[]; items: { kind: string }[];
}

async function callBrief(authorization: string | null, body: Record<string, unknown>) {
  const response = await fetch(`${stack.url}/functions/v1/daily-brief`, {
    method: 'POST',
    headers: { apikey: stack.anonKey, 'Content-Type': 'application/json', ...(authorization ? { Authorization: authorization } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

let csm: SupabaseClient;
let csmId: string;
let juniorId: string;
let csmToken: string;

beforeAll(async () => {
  csm = await signedInAs('csm');
  csmId = (await csm.rpc('get_my_profile')).data.id;
  csmToken = (await csm.auth.getSession()).data.session!.access_token;
  const junior = await signedInAs('juniorCsm');
  juniorId = (await junior.rpc('get_my_profile')).data.id;
  // A fresh start for these two people (a brief may exist from an earlier run of the stack).
  await withDb((db) => db.query('delete from app.daily_briefs where profile_id = any($1)', [[csmId, juniorId]]));
});

describe('daily-brief', () => {
  it('lets a person ask only for their own brief', async () => {
    expect((await callBrief(null, {})).status).toBe(401);
    const other = await callBrief(`Bearer ${csmToken}`, { profile_id: juniorId });
    expect(other.status).toBe(403);
    const everyone = await callBrief(`Bearer ${csmToken}`, {});
    expect(everyone.status).toBe(403);
    const bad = await callBrief(`Bearer ${csmToken}`, { profile_id: 'nobody' });
    expect(bad.status).toBe(422);
    const { rows } = await withDb((db) => db.query('select count(*)::int as n from app.daily_briefs where profile_id = any($1)', [[csmId, juniorId]]));
    expect(rows[0].n).toBe(0);
  });

  it('checks the caller before the body: no person\'s token and a broken body is 401, not 422', async () => {
    for (const authorization of [`Bearer ${stack.anonKey}`, null]) {
      const response = await fetch(`${stack.url}/functions/v1/daily-brief`, {
        method: 'POST',
        headers: { apikey: stack.anonKey, 'Content-Type': 'application/json', ...(authorization ? { Authorization: authorization } : {}) },
        body: '{',
      });
      expect(response.status, String(authorization)).toBe(401);
      if (authorization) expect((await response.json()).error.code).toBe('unauthorized');
    }
    // A person's token with the same body is theirs to fix: 422.
    const broken = await fetch(`${stack.url}/functions/v1/daily-brief`, {
      method: 'POST', headers: { apikey: stack.anonKey, Authorization: `Bearer ${csmToken}`, 'Content-Type': 'application/json' }, body: '{',
    });
    expect(broken.status).toBe(422);
    expect((await broken.json()).error.code).toBe('invalid_body');
  });

  it('writes a brief whose every sentence cites its facts, once, and queues the digest', async () => {
    const first = await callBrief(`Bearer ${stack.serviceRoleKey}`, { profile_id: csmId });
    expect(first).toEqual({ status: 200, body: { stored: 1, written: 1 } });
    const again = await callBrief(`Bearer ${csmToken}`, { profile_id: csmId });
    expect(again).toEqual({ status: 200, body: { stored: 0, written: 0 } });

    const { data, error } = await csm.rpc('get_daily_brief');
    expect(error).toBeNull();
    const brief = data as Brief;
    expect(brief.model).toBe('built-in offline model');
    // These people's briefs were all deleted above: this one is their first.
    expect(brief.first).toBe(true);
    expect(brief.facts.length).toBeGreaterThan(0);
    expect(brief.items.length).toBeGreaterThan(0);
    const ids = new Set(brief.facts.map((fact) => fact.id));
    for (const sentence of brief.sentences) {
      expect(sentence.facts.length, sentence.text).toBeGreaterThan(0);
      for (const id of sentence.facts) expect(ids.has(id), `${sentence.text} cites ${id}`).toBe(true);
    }
    expect(brief.text).toBe(brief.sentences.map((sentence) => `- ${sentence.text}`).join('\n'));

    const { rows } = await withDb((db) => db.query(
      `select o.to_addresses[1] as to, o.subject from app.daily_briefs b join app.email_outbox o on o.id = b.email_outbox_id where b.id = $1`, [brief.id]));
    expect(rows).toHaveLength(1);
    expect(rows[0].subject).toMatch(/^Your Renubu brief for /);
  });

  it('keeps one person\'s brief from another', async () => {
    const junior = await signedInAs('juniorCsm');
    const { data } = await junior.rpc('get_daily_brief');
    expect(data).toBeNull();
  });
});
