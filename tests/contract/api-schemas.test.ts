// The API's schemas (functions-shared/api) against the real database: every public RPC is
// called on the demo data and a throwaway organisation (api-calls.ts) and what it returned
// is parsed with its result schema, so a field renamed, dropped or retyped in SQL fails
// here; and the schemas' list of RPCs is the database's list of public functions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rpcs, type RpcName } from '../../functions-shared/api/index.ts';
import { withDb } from '../support/stack.ts';
import { callEveryRpc, type Called } from './api-calls.ts';

let called: Called;
beforeAll(async () => {
  called = await callEveryRpc();
}, 120_000);
afterAll(async () => {
  await called?.fixture.remove();
});

const names = Object.keys(rpcs).sort() as RpcName[];

describe('every RPC result parses with its schema', () => {
  it.each(names)('%s', (name) => {
    const results = called.results.get(name);
    expect(results, `${name} was not called`).toBeDefined();
    for (const result of results!) {
      const parsed = rpcs[name].result.safeParse(result);
      expect(parsed.error?.issues ?? [], JSON.stringify(result).slice(0, 400)).toEqual([]);
    }
  });

  it('a list is seen with at least one element (an empty list would prove nothing)', () => {
    const empty = names.filter((name) => {
      const results = called.results.get(name) ?? [];
      const lists = results.map((r) => (Array.isArray(r) ? r : r && typeof r === 'object' && Array.isArray((r as { items?: unknown }).items) ? (r as { items: unknown[] }).items : null));
      return lists.some((l) => l !== null) && lists.every((l) => l === null || l.length === 0);
    });
    expect(empty).toEqual([]);
  });
});

describe('the schemas and the database agree on the RPCs', () => {
  it('every public function has a schema and every schema a public function, with the same arguments', async () => {
    const rows = await withDb(async (db) => (await db.query<{ name: string; args: string[] | null }>(
      `select p.proname as name, p.proargnames as args
         from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'public' and p.prokind = 'f'`)).rows);
    const inDatabase = Object.fromEntries(rows.map((r) => [r.name, [...(r.args ?? [])].sort()]));
    const inSchemas = Object.fromEntries(names.map((name) => [name, Object.keys(rpcs[name].args.shape).sort()]));
    expect(inSchemas).toEqual(inDatabase);
  });

  it('a renamed result field fails its schema', () => {
    const profile = called.results.get('get_my_profile')![0] as Record<string, unknown>;
    const { full_name, ...renamed } = profile;
    expect(rpcs.get_my_profile.result.safeParse(profile).success).toBe(true);
    expect(rpcs.get_my_profile.result.safeParse({ ...renamed, name: full_name }).success).toBe(false);
  });
});
