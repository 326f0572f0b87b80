// `renubu seed --scale N`: asks the database to generate a scale organisation set-based in
// SQL (app.seed_scale_organisation) and prints how long it took.
//
// The generator (local/scale-seed.sql) is local tooling, not a migration: it writes
// auth.users with the published demo password, so it must never reach a hosted project.
// It is (re)installed on the local database just before it runs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './config.mjs';
import { withClient, waitForDatabase } from './db/database.mjs';

const GENERATOR_SQL = path.join(repoRoot, 'local', 'scale-seed.sql');

export async function seedScale(cfg, customers, { log = console.log } = {}) {
  await waitForDatabase(cfg.dbUrl);
  const started = performance.now();
  const result = await withClient(cfg.dbUrl, async (client) => {
    await client.query(`set statement_timeout = 0`);
    await client.query(readFileSync(GENERATOR_SQL, 'utf8'));
    const { rows } = await client.query('select app.seed_scale_organisation($1::int) as summary', [customers]);
    return rows[0].summary;
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  log(`Seeded the scale organisation in ${seconds}s: ${JSON.stringify(result)}`);
  return result;
}
