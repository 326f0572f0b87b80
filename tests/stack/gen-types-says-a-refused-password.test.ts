// `node local/gen-types.mjs --db-url` with a password the database refuses says that the
// password was refused, without repeating it, where it said "no database answers" and told
// the person to start a stack that was running. Nothing is written.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stack } from '../support/stack.ts';

describe('gen-types with a wrong password', () => {
  it('says the password was refused, hides it, exit 1, writes nothing', () => {
    const url = new URL(stack.dbUrl);
    url.password = 'not-the-password';
    const out = path.join(os.tmpdir(), `gen-types-refused-${process.pid}.ts`);
    const refused = spawnSync(process.execPath, [path.resolve('local/gen-types.mjs'), '--db-url', url.toString(), '--out', out],
      { encoding: 'utf8', timeout: 30_000 });
    expect(refused.status, refused.stderr).toBe(1);
    expect(refused.stderr).toMatch(/^gen-types: the database at postgresql:\/\/postgres:\*\*\*@[^ ]+ refused the password of --db-url: .*\.\n$/);
    expect(refused.stderr).not.toContain('not-the-password');
    expect(existsSync(out)).toBe(false);
  });
});
