// Nothing `supabase db push` sends to a hosted project may carry a password or a key: the
// migrations hold no demo password, no bcrypt of a literal password and no JWT. (The
// scale generator, which writes demo users, lives in local/ for that reason.)
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../support/demo-people.ts';

const dir = path.resolve('supabase', 'migrations');
const migrations = readdirSync(dir).filter((f) => f.endsWith('.sql')).map((f) => ({ f, sql: readFileSync(path.join(dir, f), 'utf8') }));

describe('what db push sends', () => {
  it('holds the migrations and nothing else', () => {
    expect(migrations.length).toBeGreaterThan(30);
    expect(migrations.map((m) => m.f).filter((f) => /seed/i.test(f))).toEqual([]);
  });

  it.each([
    ['the demo password', (sql: string) => sql.includes(DEMO_PASSWORD)],
    ['a hash of a literal password', (sql: string) => /crypt\(\s*'[^']+'\s*,/i.test(sql)],
    ['a JWT', (sql: string) => /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}/.test(sql)],
    ['a Supabase secret key', (sql: string) => /sb_secret_[A-Za-z0-9_-]{10,}/.test(sql)],
  ])('carries no %s', (_what, found) => {
    expect(migrations.filter((m) => found(m.sql)).map((m) => m.f)).toEqual([]);
  });
});
