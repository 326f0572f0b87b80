// A cluster shaped like a new hosted Supabase project, and `supabase db push` into it, the
// way a team installs Renubu on hosted Supabase (docs/deploy.md):
//   - only what Supabase's image provides before any project migration (bootstrap.sql:
//     the roles, `auth`, `extensions`), plus the extensions Supabase lets a project
//     enable (pg_cron, pg_trgm) already there, as its dashboard or supautils would make them;
//   - `postgres` is NOT a superuser there (it has CREATEROLE, CREATEDB, BYPASSRLS, like
//     hosted's), and the migrations run as `postgres`: a statement only a superuser may
//     run fails here as it would on the hosted project.
// Used by `npm test` to push the migrations and run pgTAP on the result, and by
// `node local/hosted-like.mjs` to try a deploy's `db push` yourself (docs/deploy.md).
import path from 'node:path';
import { initCluster, startCluster, stopCluster } from './cluster.mjs';
import { applyBootstrap, cliDbUrl, runSupabaseCli, waitForDatabase, withClient } from './database.mjs';

/**
 * A config for a second cluster beside `cfg`'s, in `dataDir` on `dbPort`.
 * @param {{ dbPort: number, dataDir: string }} where
 */
export function hostedLikeConfig({ dbPort, dataDir }) {
  return {
    dbPort,
    dataDir,
    pgDataDir: path.join(dataDir, 'pgdata'),
    socketDir: path.join(dataDir, 'socket'),
    runDir: path.join(dataDir, 'run'),
    // The superuser the platform keeps for itself, as Supabase keeps supabase_admin.
    adminUrl: `postgresql://supabase_admin:postgres@127.0.0.1:${dbPort}/postgres`,
    // What a project's owner (and `supabase db push`) connects as.
    dbUrl: `postgresql://postgres:postgres@127.0.0.1:${dbPort}/postgres`,
  };
}

/** @typedef {ReturnType<typeof hostedLikeConfig>} HostedLikeConfig */

/**
 * Creates and starts the cluster, and takes superuser away from `postgres`. A data dir an
 * earlier start made is reused as it is (started if it was stopped): once `postgres` is no
 * superuser, the bootstrap cannot run as it again ("permission denied to set parameter"),
 * and needs not. A first start cut short before that step is finished now.
 * @param {HostedLikeConfig} hcfg
 * @returns {Promise<{ reused: boolean }>} reused: the data dir held a cluster already shaped
 */
export async function startHostedLikeCluster(hcfg) {
  initCluster(hcfg, { durable: false });
  startCluster(hcfg);
  await waitForDatabase(hcfg.dbUrl);
  const shaped = await withClient(hcfg.dbUrl, async (c) =>
    (await c.query(`select not rolsuper as shaped from pg_roles where rolname = current_user`)).rows[0].shaped);
  if (shaped) return { reused: true };
  await applyBootstrap(hcfg.dbUrl); // creates supabase_admin (superuser) and the API roles
  await withClient(hcfg.adminUrl, async (c) => {
    await c.query(`create extension if not exists pg_cron with schema pg_catalog`);
    await c.query(`create extension if not exists pg_trgm with schema extensions`);
    await c.query(`create extension if not exists pgtap with schema extensions`);
    // What hosted grants the project's owner on pg_cron's schema.
    await c.query(`grant usage on schema cron to postgres`);
    await c.query(`grant all on all tables in schema cron to postgres`);
    await c.query(`grant all on all sequences in schema cron to postgres`);
    await c.query(`alter role postgres nosuperuser createrole createdb bypassrls`);
  });
  return { reused: false };
}

/**
 * `supabase db push` of every migration, as the non-superuser `postgres`.
 * @param {HostedLikeConfig} hcfg
 */
export function pushMigrations(hcfg) {
  const result = runSupabaseCli(['db', 'push', '--db-url', cliDbUrl(hcfg.dbUrl), '--yes'], { capture: true });
  if (result.status !== 0) throw new Error(`supabase db push failed:\n${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** Whether it was running. @param {HostedLikeConfig} hcfg */
export function stopHostedLikeCluster(hcfg) {
  return stopCluster(hcfg);
}
