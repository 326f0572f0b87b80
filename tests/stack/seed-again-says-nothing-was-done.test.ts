// `renubu seed --scale N` a second time with the same N keeps the organisation the first
// one built (the generator returns its stored summary, `already_present`). The command says
// so: before, it printed "Seeded the scale organisation … in 0.1s" for a seed that wrote
// nothing, and the same words for one that replaced an organisation of another size.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withDb } from '../support/stack.ts';

const cli = path.resolve('local/cli.mjs');
const slug = 'seed-again-check';
const seed = (n: number) => spawnSync(process.execPath, [cli, 'seed', '--scale', String(n), '--org', slug],
  { encoding: 'utf8', env: process.env, timeout: 120_000 });

afterAll(() => withDb(async (db) => {
  await db.query('delete from app.organisations where slug = $1', [slug]);
  await db.query('delete from auth.users where email like $1', [`%@${slug}.test`]);
}));

describe('renubu seed --scale again', () => {
  it('says what each run did: built, kept as it was, replaced', () => {
    const first = seed(3);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`^Seeded the scale organisation ${slug} with 3 customers in `, 'm'));

    const again = seed(3);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(new RegExp(`^The scale organisation ${slug} already has its 3 customers: nothing was written`, 'm'));
    expect(again.stdout).not.toContain('Seeded');

    const other = seed(4);
    expect(other.status, other.stderr).toBe(0);
    expect(other.stdout).toMatch(new RegExp(`^Replaced the scale organisation ${slug} with one of 4 customers in `, 'm'));
  }, 240_000);
});
