// `renubu seed --scale N`: asks the database to generate a scale organisation set-based in
// SQL (app.seed_scale_organisation) and prints how long it took.
import { withClient, waitForDatabase } from './db/database.mjs';

export async function seedScale(cfg, customers, { log = console.log } = {}) {
  await waitForDatabase(cfg.dbUrl);
  const started = performance.now();
  const result = await withClient(cfg.dbUrl, async (client) => {
    await client.query(`set statement_timeout = 0`);
    const { rows } = await client.query('select app.seed_scale_organisation($1::int) as summary', [customers]);
    return rows[0].summary;
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  log(`Seeded the scale organisation in ${seconds}s: ${JSON.stringify(result)}`);
  return result;
}
