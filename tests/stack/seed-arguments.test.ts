// `renubu seed` says a refused --scale or --org in the command's words: the scale generator
// (local/scale-seed.sql) keeps the rules, the CLI names the flag and the value, exit 2.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withDb } from '../support/stack.ts';

const cli = path.resolve('local/cli.mjs');
const seed = (...args: string[]) => spawnSync(process.execPath, [cli, 'seed', ...args], { encoding: 'utf8', env: process.env, timeout: 120_000 });

describe('renubu seed with a value the generator refuses', () => {
  it('names --scale past 1 000 000 customers', () => {
    const refused = seed('--scale', '2000000');
    expect(refused.status, refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(/^renubu: --scale 2000000 must be between 1 and 1 000 000\.\nUsage:\n  renubu seed/);
  });

  it('names an --org that is not a slug', () => {
    const refused = seed('--scale', '3', '--org', 'Bad_Slug');
    expect(refused.status, refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(/^renubu: --org Bad_Slug must be lower-case letters, digits and dashes\.\n/);
  });

  it("refuses an --org that is another organisation's slug, in words, and leaves nothing of the generator behind", async () => {
    const refused = seed('--scale', '3', '--org', 'acme-cloud');
    expect(refused.status, refused.stderr).toBe(1);
    expect(refused.stderr).toContain('renubu: The slug acme-cloud belongs to "Acme Cloud", which is not a scale organisation');
    // The generator went with its refusal: none of its functions stays in the database
    // (some have no search_path of their own, which the advisors report).
    const left = await withDb(async (db) => (await db.query(
      `select count(*)::int as n from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'app' and (p.proname like 'scale\\_seed\\_%' or p.proname = 'seed_scale_organisation')`)).rows[0].n);
    expect(left).toBe(0);
  });
});
