// A database from the first release lists the retired scale-generator migration
// (20261125400000, moved to local/scale-seed.sql) in its history; `supabase migration up`
// would refuse to run on a version it has no file for. Starting the stack forgets that one
// version, and only it: another unknown version (a migration of another branch) still
// stops the CLI instead of being silently dropped. A migration merged from a parallel
// branch, whose timestamp sorts before the newest one applied, is applied on start.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { stack } from '../support/stack.ts';

type DatabaseModule = {
  applyPendingMigrations(dbUrl: string): Promise<void>;
  RETIRED_MIGRATIONS: string[];
  FOLDED_MIGRATIONS: string[];
  LATER_FOLDED_MIGRATIONS: string[];
  LATER_FOLDS: { versions: string[]; creates: string }[];
};
const databaseModulePath: string = path.resolve('local', 'db', 'database.mjs');
const { applyPendingMigrations, RETIRED_MIGRATIONS, FOLDED_MIGRATIONS, LATER_FOLDED_MIGRATIONS, LATER_FOLDS } = (await import(/* @vite-ignore */ databaseModulePath)) as DatabaseModule;

const OTHER_BRANCH = '20991231000000';

async function history(sql: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: stack.dbUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

describe('a database from the first release', () => {
  afterAll(() => history('delete from supabase_migrations.schema_migrations where version = any($1)', [[...RETIRED_MIGRATIONS, OTHER_BRANCH]]));

  it('starts again: the retired scale-generator migration is forgotten and nothing else', async () => {
    expect(RETIRED_MIGRATIONS).toContain('20261125400000');
    await history(`insert into supabase_migrations.schema_migrations (version, name) values ('20261125400000', 'scale_seed') on conflict do nothing`);
    await applyPendingMigrations(stack.dbUrl);
    expect(await history(`select version from supabase_migrations.schema_migrations where version = '20261125400000'`)).toEqual([]);
  }, 120_000);

  it('applies a merged migration that sorts before the newest one applied', async () => {
    // The catalogue migration is idempotent (supabase/tests/product_catalogue), so it can play
    // the part of a migration another branch added earlier in time.
    const catalogue = '20261204001300';
    await history('delete from supabase_migrations.schema_migrations where version = $1', [catalogue]);
    await applyPendingMigrations(stack.dbUrl);
    expect(await history('select version from supabase_migrations.schema_migrations where version = $1', [catalogue])).toHaveLength(1);
  }, 120_000);

  it('still stops on a migration the repository does not know', async () => {
    await history(`insert into supabase_migrations.schema_migrations (version, name) values ($1, 'another_branch') on conflict do nothing`, [OTHER_BRANCH]);
    await expect(applyPendingMigrations(stack.dbUrl)).rejects.toThrow(/not found in local migrations directory/);
    expect(await history('select version from supabase_migrations.schema_migrations where version = $1', [OTHER_BRANCH])).toHaveLength(1);
  }, 120_000);
});

// The release baseline (docs/schema.md) folded the first 75 migrations into one file per
// area, and later the migrations written beside it before anything was deployed
// (LATER_FOLDS, one fold after another). A database that applied the whole chain and
// those, or the baseline as it was before a later fold plus that fold's migrations and
// every later fold's, holds the same schema, so starting the stack records the baseline for
// it instead of stopping on versions it has no file for; a database that applied only part
// of what was folded is refused with the way out.
describe('a database made by the migrations the baseline folded', () => {
  const everything = [...FOLDED_MIGRATIONS, ...LATER_FOLDED_MIGRATIONS];
  const baseline = async () => (await history(
    `select version from supabase_migrations.schema_migrations where version like '20261204%' and version < '20261204100000' order by 1`)).map((r) => r.version);
  const record = (versions: string[]) => history(
    `insert into supabase_migrations.schema_migrations (version, name) select v, 'folded' from unnest($1::text[]) v on conflict do nothing`, [versions]);
  const listed = async () => (await history(
    'select version from supabase_migrations.schema_migrations where version = any($1) order by 1', [everything])).map((r) => r.version);
  let recordedBaseline: string[] = [];

  beforeEach(async () => {
    await history('delete from supabase_migrations.schema_migrations where version = any($1)', [everything]);
    if (recordedBaseline.length) await record(recordedBaseline); // a test may have removed it
  });
  afterAll(async () => {
    await history('delete from supabase_migrations.schema_migrations where version = any($1)', [everything]);
    if (recordedBaseline.length) await record(recordedBaseline);
  });

  type Fold = DatabaseModule["LATER_FOLDS"][number];
  const [firstFold, queueFold, orchestratorFold, shortFold, fullRunFold, cardsFold] = LATER_FOLDS as [Fold, Fold, Fold, Fold, Fold, Fold];

  it('gives no new migration the version of one it folded or retired (a database that applied the old one would skip the new)', () => {
    const gone = new Set([...everything, ...RETIRED_MIGRATIONS]);
    const reused = readdirSync(path.resolve('supabase', 'migrations'))
      .map((file) => file.split('_')[0] ?? '')
      .filter((version) => gone.has(version));
    expect(reused).toEqual([]);
  });

  it('folded the forecast, retention, context, ingest and task-lookup migrations, then the queue ones, then the orchestrator, then the short functions and the workflow types, then the orchestrator\'s full run, then the queue cards', () => {
    expect(firstFold.versions).toEqual(expect.arrayContaining(['20261206030000', '20261206050100', '20261206060100']));
    expect(queueFold.versions).toEqual(['20261206010000', '20261206010100']);
    expect(orchestratorFold.versions).toEqual(['20261206040000']);
    expect(shortFold.versions).toEqual(expect.arrayContaining(['20261204110000', '20261204123200', '20261204130000', '20261204130500']));
    expect(shortFold.versions).toHaveLength(10);
    expect(shortFold.creates).toBe('app.workflow_types');
    // The orchestrator's full-run migration, folded last: its index tells a baseline that holds it.
    expect(fullRunFold.versions).toEqual(['20261204120000']);
    expect(fullRunFold.creates).toBe('app.workflow_executions_done_period_idx');
    // The queue's cards and rendered stats, with the slim assignee index: their table tells.
    expect(cardsFold.versions).toEqual(['20261204131000', '20261204132000', '20261204133000']);
    expect(cardsFold.creates).toBe('app.queue_cards');
    expect(LATER_FOLDS).toHaveLength(6);
    expect(LATER_FOLDED_MIGRATIONS).toEqual([...firstFold.versions, ...queueFold.versions, ...orchestratorFold.versions, ...shortFold.versions, ...fullRunFold.versions, ...cardsFold.versions]);
    expect(LATER_FOLDED_MIGRATIONS.some((v) => FOLDED_MIGRATIONS.includes(v))).toBe(false);
  });

  it('finds what each fold creates in the baseline (tables, and the last fold\'s index)', async () => {
    for (const fold of LATER_FOLDS) {
      expect(await history('select to_regclass($1) is not null as present', [fold.creates])).toEqual([{ present: true }]);
    }
  }, 120_000);

  it('starts again with the baseline recorded in place of the old chain and the later folded migrations', async () => {
    const before = await baseline();
    expect(before).toHaveLength(15);
    recordedBaseline = before;
    await history(`delete from supabase_migrations.schema_migrations where version = any($1)`, [before]);
    await record(everything);
    await applyPendingMigrations(stack.dbUrl);
    expect(await baseline()).toEqual(before);
    expect(await listed()).toEqual([]);
  }, 120_000);

  it('starts again when the baseline as it was and the later folded migrations were applied', async () => {
    await record(LATER_FOLDED_MIGRATIONS);
    await applyPendingMigrations(stack.dbUrl);
    expect(await baseline()).toEqual(recordedBaseline);
    expect(await listed()).toEqual([]);
  }, 120_000);

  it('starts again when the baseline after the first later fold, the queue migrations, the orchestrator one, the short functions and the full run were applied', async () => {
    await record([...queueFold.versions, ...orchestratorFold.versions, ...shortFold.versions, ...fullRunFold.versions, ...cardsFold.versions]);
    await applyPendingMigrations(stack.dbUrl);
    expect(await baseline()).toEqual(recordedBaseline);
    expect(await listed()).toEqual([]);
  }, 120_000);

  it('starts again when the baseline after the queue fold, the orchestrator migration, the short functions and the full run were applied', async () => {
    await record([...orchestratorFold.versions, ...shortFold.versions, ...fullRunFold.versions, ...cardsFold.versions]);
    await applyPendingMigrations(stack.dbUrl);
    expect(await baseline()).toEqual(recordedBaseline);
    expect(await listed()).toEqual([]);
  }, 120_000);

  it('starts again when the baseline after the orchestrator fold, the short functions and the full run were applied', async () => {
    await record([...shortFold.versions, ...fullRunFold.versions, ...cardsFold.versions]);
    await applyPendingMigrations(stack.dbUrl);
    expect(await baseline()).toEqual(recordedBaseline);
    expect(await listed()).toEqual([]);
  }, 120_000);

  it('starts again when the baseline after the fourth fold and the full-run migration were applied', async () => {
    await record([...fullRunFold.versions, ...cardsFold.versions]);
    await applyPendingMigrations(stack.dbUrl);
    expect(await baseline()).toEqual(recordedBaseline);
    expect(await listed()).toEqual([]);
  }, 120_000);

  it('starts again when the baseline after the full-run fold and the queue-card migrations were applied', async () => {
    await record(cardsFold.versions);
    await applyPendingMigrations(stack.dbUrl);
    expect(await baseline()).toEqual(recordedBaseline);
    expect(await listed()).toEqual([]);
  }, 120_000);

  it('refuses the queue-card migrations on a baseline that never held the full-run fold', async () => {
    // Made before the full-run fold and without its migration: its index is missing.
    await history('alter index app.workflow_executions_done_period_idx rename to workflow_executions_done_period_elsewhere');
    try {
      await record(cardsFold.versions);
      await expect(applyPendingMigrations(stack.dbUrl)).rejects.toThrow(/and 3 of the 24 .*renubu db reset/s);
    } finally {
      await history('alter index app.workflow_executions_done_period_elsewhere rename to workflow_executions_done_period_idx');
    }
    expect(await listed()).toEqual(cardsFold.versions);
    await history('delete from supabase_migrations.schema_migrations where version = any($1)', [everything]);
  }, 120_000);

  it('refuses the queue and orchestrator migrations on a baseline that never held the first later fold', async () => {
    // Made before the first later fold and without its migrations: its table is missing.
    const [schema, table] = firstFold.creates.split('.');
    await history(`alter table ${schema}.${table} rename to ${table}_elsewhere`);
    try {
      await record([...queueFold.versions, ...orchestratorFold.versions, ...shortFold.versions, ...fullRunFold.versions, ...cardsFold.versions]);
      await expect(applyPendingMigrations(stack.dbUrl)).rejects.toThrow(/and 17 of the 24 .*renubu db reset/s);
    } finally {
      await history(`alter table ${schema}.${table}_elsewhere rename to ${table}`);
    }
    expect(await listed()).toEqual([...queueFold.versions, ...orchestratorFold.versions, ...shortFold.versions, ...fullRunFold.versions, ...cardsFold.versions].sort()); // listed in version order
  }, 120_000);

  it('refuses the orchestrator migration on a baseline that never held the queue fold', async () => {
    // Made before the queue fold and without its migrations: its table is missing.
    const [schema, table] = queueFold.creates.split('.');
    await history(`alter table ${schema}.${table} rename to ${table}_elsewhere`);
    try {
      await record([...orchestratorFold.versions, ...shortFold.versions, ...fullRunFold.versions, ...cardsFold.versions]);
      await expect(applyPendingMigrations(stack.dbUrl)).rejects.toThrow(/and 15 of the 24 .*renubu db reset/s);
    } finally {
      await history(`alter table ${schema}.${table}_elsewhere rename to ${table}`);
    }
    expect(await listed()).toEqual([...orchestratorFold.versions, ...shortFold.versions, ...fullRunFold.versions, ...cardsFold.versions].sort()); // listed in version order
  }, 120_000);

  it('refuses the short functions on a baseline that never held the orchestrator fold, or with only some of them', async () => {
    // Made before the orchestrator fold and without its migration: its table is missing.
    const [schema, table] = orchestratorFold.creates.split('.');
    await history(`alter table ${schema}.${table} rename to ${table}_elsewhere`);
    try {
      await record([...shortFold.versions, ...fullRunFold.versions, ...cardsFold.versions]);
      await expect(applyPendingMigrations(stack.dbUrl)).rejects.toThrow(/and 14 of the 24 .*renubu db reset/s);
    } finally {
      await history(`alter table ${schema}.${table}_elsewhere rename to ${table}`);
    }
    expect(await listed()).toEqual([...shortFold.versions, ...fullRunFold.versions, ...cardsFold.versions].sort()); // listed in version order
    await history('delete from supabase_migrations.schema_migrations where version = any($1)', [everything]);
    await record([...shortFold.versions.slice(0, 4), ...fullRunFold.versions, ...cardsFold.versions]);
    await expect(applyPendingMigrations(stack.dbUrl)).rejects.toThrow(/and 8 of the 24 .*renubu db reset/s);
  }, 120_000);

  it('refuses the full-run migration on a baseline that never held the fourth fold, or the fourth fold without it', async () => {
    // Made before the fourth fold and without its migrations: its table is missing.
    const [schema, table] = shortFold.creates.split('.');
    await history(`alter table ${schema}.${table} rename to ${table}_elsewhere`);
    try {
      await record([...fullRunFold.versions, ...cardsFold.versions]);
      await expect(applyPendingMigrations(stack.dbUrl)).rejects.toThrow(/and 4 of the 24 .*renubu db reset/s);
    } finally {
      await history(`alter table ${schema}.${table}_elsewhere rename to ${table}`);
    }
    expect(await listed()).toEqual([...fullRunFold.versions, ...cardsFold.versions].sort());
    await history('delete from supabase_migrations.schema_migrations where version = any($1)', [everything]);
    await record(shortFold.versions);
    await expect(applyPendingMigrations(stack.dbUrl)).rejects.toThrow(/and 10 of the 24 .*renubu db reset/s);
  }, 120_000);

  it('refuses a baseline with only part of the queue migrations, or without the orchestrator one after them', async () => {
    await record(queueFold.versions.slice(0, 1));
    await expect(applyPendingMigrations(stack.dbUrl)).rejects.toThrow(/and 1 of the 24 .*renubu db reset/s);
    await history('delete from supabase_migrations.schema_migrations where version = any($1)', [everything]);
    await record([...firstFold.versions, ...queueFold.versions.slice(1), ...orchestratorFold.versions, ...shortFold.versions, ...fullRunFold.versions, ...cardsFold.versions]);
    await expect(applyPendingMigrations(stack.dbUrl)).rejects.toThrow(/and 23 of the 24 .*renubu db reset/s);
    await history('delete from supabase_migrations.schema_migrations where version = any($1)', [everything]);
    await record(queueFold.versions);
    await expect(applyPendingMigrations(stack.dbUrl)).rejects.toThrow(/and 2 of the 24 .*renubu db reset/s);
  }, 120_000);

  it('refuses a database that applied only part of the old chain', async () => {
    await record(FOLDED_MIGRATIONS.slice(0, 3));
    await expect(applyPendingMigrations(stack.dbUrl)).rejects.toThrow(/renubu db reset/);
  }, 120_000);

  it('refuses the whole old chain without the later folded migrations (the baseline holds them)', async () => {
    await history(`delete from supabase_migrations.schema_migrations where version = any($1)`, [recordedBaseline]);
    await record(FOLDED_MIGRATIONS);
    await expect(applyPendingMigrations(stack.dbUrl)).rejects.toThrow(/applied 75 of the 75 .* and 0 of the 24 .*renubu db reset/s);
  }, 120_000);

  it('refuses the old chain or the baseline with only some of the later folded migrations', async () => {
    await record([...FOLDED_MIGRATIONS, ...LATER_FOLDED_MIGRATIONS.slice(0, 2)]);
    await expect(applyPendingMigrations(stack.dbUrl)).rejects.toThrow(/renubu db reset/);
    await history('delete from supabase_migrations.schema_migrations where version = any($1)', [everything]);
    await record(LATER_FOLDED_MIGRATIONS.slice(1));
    await expect(applyPendingMigrations(stack.dbUrl)).rejects.toThrow(/and 23 of the 24 .*renubu db reset/s);
  }, 120_000);
});
