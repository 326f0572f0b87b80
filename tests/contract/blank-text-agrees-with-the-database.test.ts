// What is blank is one rule on both sides: the TypeScript mirror the Edge Functions' and the
// MCP server's schemas use (functions-shared/text.ts) calls blank exactly the characters the
// database's app.blank_characters() does, checked on every Unicode code point. A character
// added on one side only fails here.
import { describe, expect, it } from 'vitest';
import { withDb } from '../support/stack.ts';
import { isBlankText, trimmedText } from '../../functions-shared/text.ts';

describe('blank text: functions-shared/text.ts and app.blank_characters()', () => {
  it('agree on every code point', async () => {
    const database = await withDb(async (db) => (await db.query<{ cp: number }>(
      `select cp from generate_series(1, 1114111) cp
        where (cp < 55296 or cp > 57343) and chr(cp) ~ ('^' || app.blank_characters() || '$') order by cp`)).rows.map((r) => r.cp));
    const mirror: number[] = [];
    for (let cp = 1; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      if (isBlankText(String.fromCodePoint(cp))) mirror.push(cp);
    }
    expect(database.length).toBeGreaterThan(200);
    expect(mirror).toEqual(database);
  });
  it('trims as app.trimmed does', async () => {
    const samples = ['\u200b Hello \u00a0', '\tA\u2800B\n', '\u3164', 'x'];
    const database = await withDb(async (db) => (await db.query<{ t: string | null }>(
      'select app.trimmed(s) as t from unnest($1::text[]) with ordinality u(s, n) order by n', [samples])).rows.map((r) => r.t));
    expect(samples.map(trimmedText)).toEqual(database);
  });
});
