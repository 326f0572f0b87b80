// @ts-check
// Do two sets of migrations build the same database? Pushes each set with the real Supabase
// CLI (`supabase db push`) into a fresh hosted-like cluster of its own (local/db/hosted-like.mjs),
// then compares, with ordering normalised away:
//   - the schema: `pg_dump --schema-only` (every schema but supabase_migrations), one
//     statement per entry, sorted;
//   - the data the migrations insert: `pg_dump --data-only` of the same schemas (the shipped
//     workflow catalogue, saved actions, storage buckets, …) plus pg_cron's jobs, with
//     generated ids and timestamps replaced by placeholders, sorted.
// Used to check the release baseline against the chain it replaced (docs/schema.md):
//   node local/tools/compare-schemas.mjs --old <git-ref> [--new <git-ref>|--new-dir <dir>]
// Without --new the working tree's supabase/migrations is the new side. Exit 0 when equal;
// otherwise the unified diff is printed and the dumps are kept (their folder is printed).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { freePort } from '../free-port.mjs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../config.mjs';
import { PG_BIN } from '../system-packages.mjs';
import { hostedLikeConfig, startHostedLikeCluster, stopHostedLikeCluster } from '../db/hosted-like.mjs';
import { cliDbUrl, withClient } from '../db/database.mjs';

const args = process.argv.slice(2);
const flag = (/** @type {string} */ name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const oldRef = flag('--old');
const newRef = flag('--new');
const newDir = flag('--new-dir');
if (!oldRef) {
  console.error('usage: node local/tools/compare-schemas.mjs --old <git-ref> [--new <git-ref> | --new-dir <dir>]');
  process.exit(2);
}

const work = mkdtempSync(path.join(os.tmpdir(), 'renubu-compare-'));
chmodSync(work, 0o755); // the cluster runs as the postgres OS user when we are root

/**
 * One side of the comparison: a git ref's migrations, or a directory of them.
 * @typedef {{ ref: string, dir?: undefined } | { ref?: undefined, dir: string }} Source
 */

/**
 * A Supabase workdir holding only config.toml and the migrations of one side.
 * @param {string} label
 * @param {Source} source
 */
function workdirFor(label, { ref, dir }) {
  const wd = path.join(work, label);
  const migrations = path.join(wd, 'supabase', 'migrations');
  mkdirSync(migrations, { recursive: true });
  cpSync(path.join(repoRoot, 'supabase', 'config.toml'), path.join(wd, 'supabase', 'config.toml'));
  if (ref) {
    const tar = execFileSync('git', ['archive', ref, 'supabase/migrations'], { cwd: repoRoot, maxBuffer: 1 << 28 });
    execFileSync('tar', ['-x', '-C', wd], { input: tar });
  } else if (dir) {
    for (const f of readdirSync(dir)) if (f.endsWith('.sql')) cpSync(path.join(dir, f), path.join(migrations, f));
  }
  return { wd, count: readdirSync(migrations).length };
}

/**
 * pg_dump output as sorted entries: comments, SET lines and blank lines dropped.
 * @param {string} text
 */
function entries(text, { data = false } = {}) {
  // \restrict / \unrestrict carry a random key per dump (pg_dump 15.14 and later).
  let body = text.replace(/^--.*$/gm, '').replace(/^SET .*$/gm, '').replace(/^SELECT pg_catalog\.set_config.*$/gm, '')
    .replace(/^\\(un)?restrict .*$/gm, '');
  if (data) {
    body = body
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
      .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?\+00/g, '<timestamp>');
  }
  const parts = data ? body.split('\n') : body.split(/;\n/);
  return parts.map((p) => p.trim()).filter(Boolean).sort();
}

/** @param {string} label @param {Source} source */
async function build(label, source) {
  const { wd, count } = workdirFor(label, source);
  const hcfg = hostedLikeConfig({ dbPort: await freePort(), dataDir: path.join(work, `${label}-cluster`) });
  try {
    await startHostedLikeCluster(hcfg);
    const push = spawnSync(path.join(repoRoot, 'node_modules', '.bin', 'supabase'),
      ['db', 'push', '--db-url', cliDbUrl(hcfg.dbUrl), '--yes', '--workdir', wd],
      { encoding: 'utf8', env: { ...process.env, SUPABASE_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' } });
    if (push.status !== 0) throw new Error(`supabase db push (${label}) failed:\n${push.stderr}${push.stdout}`);
    const dump = (/** @type {string[]} */ extra) => execFileSync(path.join(PG_BIN, 'pg_dump'),
      ['--dbname', hcfg.adminUrl, '--exclude-schema=supabase_migrations', ...extra],
      { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] });
    const schema = entries(dump(['--schema-only']));
    const cron = await withClient(hcfg.adminUrl, (c) => c.query(
      `select jobname, schedule, command, username, database, active from cron.job order by jobname`));
    const data = [
      // cron.job holds the cluster's port; its jobs are compared from the query above instead.
      ...entries(dump(['--data-only', '--exclude-table-data=cron.*']), { data: true }),
      ...cron.rows.map((r) => `cron.job ${JSON.stringify(r)}`),
    ].sort();
    console.log(`${label}: ${count} migrations, ${schema.length} schema entries, ${data.length} data lines`);
    return { schema, data };
  } finally {
    stopHostedLikeCluster(hcfg);
  }
}

/** @param {string} name @param {string[]} a @param {string[]} b */
function diff(name, a, b) {
  const fa = path.join(work, `${name}.old.txt`);
  const fb = path.join(work, `${name}.new.txt`);
  writeFileSync(fa, a.join('\n') + '\n');
  writeFileSync(fb, b.join('\n') + '\n');
  const r = spawnSync('diff', ['-u', fa, fb], { encoding: 'utf8' });
  if (r.status === 0) { console.log(`${name}: identical (${a.length} entries)`); return true; }
  console.log(`${name}: DIFFERENT\n${r.stdout}`);
  return false;
}

let same = false;
try {
  const before = await build('old', { ref: oldRef });
  const after = await build('new', newRef ? { ref: newRef } : { dir: newDir ?? path.join(repoRoot, 'supabase', 'migrations') });
  const schemaSame = diff('schema', before.schema, after.schema);
  const dataSame = diff('data', before.data, after.data);
  same = schemaSame && dataSame;
  if (!schemaSame) {
    // A comment's text is the one difference a fold may mean to make (comments citing docs).
    const only = (/** @type {string[]} */ a, /** @type {string[]} */ b) => a.filter((x) => !b.includes(x));
    const changed = [...only(before.schema, after.schema), ...only(after.schema, before.schema)];
    const other = changed.filter((x) => !x.startsWith('COMMENT ON '));
    console.log(`schema: ${changed.length} entries differ, ${other.length} of them other than COMMENT ON texts`);
  }
} finally {
  if (same) rmSync(work, { recursive: true, force: true });
  else console.log(`dumps kept in ${work}`);
}
process.exit(same ? 0 : 1);
