// A secret (the service key, a secret API key, a webhook signature, an HMAC) is compared with
// what a request sent in a time that does not depend on where they differ: one helper,
// functions-shared/secret-equal.js, used by the Edge Functions and the local gateway alike.
// The scan below fails on any `===` or `!==` of a secret-named value in the code that runs
// on a server (functions-shared, supabase/functions, local).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bytesEqual, secretsEqual } from '../../functions-shared/secret-equal.js';

function sourceFiles(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const full = path.join(root, name);
    if (name === 'node_modules') return [];
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(ts|js|mjs)$/.test(name) && !/\.d\.(ts|mts)$/.test(name) ? [full] : [];
  });
}

// One `===` or `!==` with its two operands (an operand may be `(a ?? b)`).
const OPERAND = String.raw`\(?[\w.$\[\]'"]+(?:\s*\?\?\s*[\w.$\[\]'"]+)?\)?`;
const COMPARISON = new RegExp(String.raw`(${OPERAND})\s*[!=]==\s*(${OPERAND})`, 'g');
// An operand that names a secret: a …Key or …_KEY (a service, secret or API key), a secret, a
// signature, a proof or an HMAC. A bare `key` is a map's key, no secret.
const SECRET_NAME = /(?:[a-z]Key|_KEY)\b|secret|signature|proof|hmac/i;
// `=== undefined`, `=== null`, a literal or a length is no comparison of a secret's value.
const NO_VALUE = /^\(?(?:undefined|null|'[^']*'|"[^"]*"|\d+)\)?$|\.length$/;
// Comparisons that look like one but compare no request's value with a secret.
const NOT_FROM_A_REQUEST: Record<string, string> = {
  // the cache of verified tokens: was this entry verified under the configured secret?
  'local/gateway/jwt.mjs': 'cached.secret !== secret',
};

describe('secrets are compared in constant time', () => {
  it('secretsEqual and bytesEqual say equal only for the same bytes; a missing or empty secret matches nothing', () => {
    expect(secretsEqual('sb_secret_abc', 'sb_secret_abc')).toBe(true);
    expect(secretsEqual('sb_secret_abd', 'sb_secret_abc')).toBe(false);
    expect(secretsEqual('sb_secret_ab', 'sb_secret_abc')).toBe(false);
    expect(secretsEqual('sb_secret_abcsb_secret_abc', 'sb_secret_abc')).toBe(false);
    expect(secretsEqual('', '')).toBe(false);
    expect(secretsEqual('x', undefined)).toBe(false);
    expect(secretsEqual(null, 'x')).toBe(false);
    expect(secretsEqual('é', 'é')).toBe(true);
    expect(bytesEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 3]))).toBe(false);
    expect(bytesEqual(new Uint8Array([]), new Uint8Array([]))).toBe(true);
    expect(bytesEqual(new Uint8Array([0]), new Uint8Array([]))).toBe(false);
  });

  it('no code that runs on a server compares a key, a secret, a signature or a proof with === or !==', () => {
    const found: string[] = [];
    for (const file of ['functions-shared', 'supabase/functions', 'local'].flatMap((root) => sourceFiles(path.resolve(root)))) {
      const relative = path.relative(process.cwd(), file);
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (/^\s*(\/\/|\*)/.test(line)) return;
        for (const [comparison, left = '', right = ''] of line.matchAll(COMPARISON)) {
          if (![left, right].some((operand) => SECRET_NAME.test(operand)) || [left, right].some((operand) => NO_VALUE.test(operand))) continue;
          if (/typeof\s+$/.test(line.slice(0, line.indexOf(comparison))) || comparison.startsWith(NOT_FROM_A_REQUEST[relative] ?? '\0')) continue;
          found.push(`${relative}:${i + 1}: ${comparison}`);
        }
      });
    }
    expect(found).toEqual([]);
  });
});
