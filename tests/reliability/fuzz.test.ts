// Short form of `npm run reliability` — bad input: a few hundred fast-check cases spread over
// every public RPC (from pg_proc) and every Edge Function, as a signed-in CSM and as anon.
// Never a 5xx, always the house error shape, and no partial write behind a failed call.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { stack } from '../support/stack.ts';
import { describeFindings, reliability } from './harness.ts';

describe('reliability: bad input', () => {
  it('covers every public RPC and every Edge Function', async () => {
    const db = new pg.Client({ connectionString: stack.dbUrl });
    await db.connect();
    try {
      const rpcs = await reliability.fuzz.publicRpcs(db);
      const { rows } = await db.query(`select count(*)::int as n from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public' and p.prokind = 'f'`);
      expect(rpcs.length).toBe(rows[0].n);
      expect(rpcs.map((r) => r.name)).toContain('execute_action');
    } finally {
      await db.end();
    }
    expect(reliability.fuzz.edgeFunctions()).toEqual(expect.arrayContaining(['chat', 'execute-action', 'complete-thread', 'ingest']));
  });

  it('never answers 5xx, always in the house error shape, and a refused call writes nothing', async () => {
    const seed = Number(process.env.RELIABILITY_SEED ?? 20261204);
    const { stats, findings } = await reliability.fuzz.runFuzz({ url: stack.url, anonKey: stack.anonKey, dbUrl: stack.dbUrl, runs: 400, seed });
    console.log(`fuzz seed ${seed}: ${stats.requests} requests over ${stats.rpcs} RPCs and ${stats.functions} functions; statuses ${JSON.stringify(stats.status)}`);
    expect(stats.requests).toBeGreaterThanOrEqual(400);
    expect(describeFindings(findings)).toEqual([]);
  }, 120_000);
});
