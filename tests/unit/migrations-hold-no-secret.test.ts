// Nothing `supabase db push` sends to a hosted project may carry a password or a key: the
// migrations hold no demo password, no hash of a literal password, no demo person and no
// JWT or key. (The scale generator, which writes demo users, lives in local/ for that
// reason; seed.sql is applied locally only.)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_PEOPLE } from '../support/demo-people.ts';

// The local stack's JWT secret (Supabase's published default): local/config.mjs has no types.
const configPath: string = path.resolve('local', 'config.mjs');
const { JWT_SECRET } = (await import(/* @vite-ignore */ configPath)) as { JWT_SECRET: string };

const dir = path.resolve('supabase', 'migrations');
const migrations = readdirSync(dir).filter((f) => f.endsWith('.sql')).map((f) => ({ f, sql: readFileSync(path.join(dir, f), 'utf8') }));

// What `supabase functions deploy` uploads: the functions and the shared code they import.
function sourceFiles(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const full = path.join(root, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx|js|mjs|json)$/.test(name) ? [full] : [];
  });
}
const uploaded = [...sourceFiles(path.resolve('supabase', 'functions')), ...sourceFiles(path.resolve('functions-shared'))]
  .map((f) => ({ f: path.relative(process.cwd(), f), sql: readFileSync(f, 'utf8') }));

// A string literal in SQL: '…', E'…', $$…$$ or $tag$…$tag$.
const LITERAL = String.raw`(?:E?'[^']+'|\$([A-Za-z_]*)\$[\s\S]*?\$\1\$)`;

/** What must never ship, each with a detector over a file's SQL. */
const FORBIDDEN: [string, (sql: string) => boolean][] = [
  ['the demo password', (sql) => sql.toLowerCase().includes(DEMO_PASSWORD.toLowerCase())],
  ['a hash of a literal password', (sql) => new RegExp(String.raw`crypt\s*\(\s*${LITERAL}\s*,`, 'i').test(sql)],
  ['a bcrypt hash', (sql) => /\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}/.test(sql)],
  ['a demo person', (sql) => Object.values(DEMO_PEOPLE).some((email) => sql.toLowerCase().includes(email))],
  ['a JWT', (sql) => /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}/.test(sql)],
  ['the local JWT secret', (sql) => sql.includes(JWT_SECRET)],
  ['a Supabase secret key', (sql) => /sb_secret_[A-Za-z0-9_-]{10,}/.test(sql)],
  ['a private key', (sql) => /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(sql)],
];

describe('what db push sends', () => {
  it('holds the migrations and nothing else', () => {
    expect(migrations.length).toBeGreaterThanOrEqual(15); // the release baseline: one file per area (docs/schema.md)
    expect(migrations.map((m) => m.f).filter((f) => /seed/i.test(f))).toEqual([]);
  });

  it.each(FORBIDDEN)('carries no %s', (_what, found) => {
    expect(migrations.filter((m) => found(m.sql)).map((m) => m.f)).toEqual([]);
  });

  it.each(FORBIDDEN)('uploads no function code with %s', (_what, found) => {
    expect(uploaded.length).toBeGreaterThan(10);
    expect(uploaded.filter((m) => found(m.sql)).map((m) => m.f)).toEqual([]);
  });

  // The detectors themselves can fail: they find what the local-only files legitimately hold.
  it('would catch the scale generator and the demo seed if they were migrations', () => {
    const scale = readFileSync(path.resolve('local', 'scale-seed.sql'), 'utf8');
    const seed = readFileSync(path.resolve('supabase', 'seed.sql'), 'utf8');
    const detects = (what: string, sql: string) => FORBIDDEN.find(([name]) => name === what)![1](sql);
    expect(detects('the demo password', scale)).toBe(true);
    expect(detects('a hash of a literal password', scale)).toBe(true);
    expect(detects('a demo person', seed)).toBe(true);
    expect(detects('a hash of a literal password', `select crypt($$secret$$, gen_salt('bf'))`)).toBe(true);
    expect(detects('a hash of a literal password', `select extensions.crypt(E'secret', x)`)).toBe(true);
    expect(detects('a bcrypt hash', `'$2a$10$${'a'.repeat(53)}'`)).toBe(true);
    expect(detects('a hash of a literal password', `select crypt(new.password, gen_salt('bf'))`)).toBe(false);
  });
});
