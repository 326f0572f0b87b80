// What text is displayable is one rule on both sides: the TypeScript mirror the Edge
// Functions' schemas use (functions-shared/text.ts isDisplayableText) refuses exactly the
// characters the database's app.text_is_displayable does, in one line and in several lines,
// checked on every Unicode code point. A character added on one side only fails here.
import { describe, expect, it } from 'vitest';
import { withDb } from '../support/stack.ts';
import { isDisplayableText, isOneLineField } from '../../functions-shared/text.ts';

function refusedByMirror(multiLine: boolean): number[] {
  const refused: number[] = [];
  for (let cp = 1; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    if (!isDisplayableText(`a${String.fromCodePoint(cp)}b`, multiLine)) refused.push(cp);
  }
  return refused;
}

describe('displayable text: functions-shared/text.ts and app.text_is_displayable()', () => {
  for (const multiLine of [false, true]) {
    it(`agree on every code point ${multiLine ? 'in several lines' : 'in one line'}`, async () => {
      const database = await withDb(async (db) => (await db.query<{ cp: number }>(
        `select cp from generate_series(1, 1114111) cp
          where (cp < 55296 or cp > 57343) and not app.text_is_displayable('a' || chr(cp) || 'b', $1) order by cp`,
        [multiLine])).rows.map((r) => r.cp));
      expect(database.length).toBeGreaterThan(60);
      expect(refusedByMirror(multiLine)).toEqual(database);
    });
  }
  it('accepts Hebrew and Arabic, refuses an override in a name and keeps line breaks in a body', () => {
    expect(isDisplayableText('שלום')).toBe(true);
    expect(isDisplayableText('مرحبا')).toBe(true);
    expect(isDisplayableText('Acme\u202egnp.exe')).toBe(false);
    expect(isDisplayableText('Line one\n\tשלום\u200f\r\n', true)).toBe(true);
    expect(isDisplayableText('Line one\n\u2066x\u2069', true)).toBe(false);
  });
  it('agree on which texts of a JSON object are one line (isOneLineField, app.text_field_is_one_line)', async () => {
    const fields = ['name', 'metadata.name', 'metadata.owner.name', 'content.to[1]', 'content.cc[0]', 'content.attendees[12]',
      'content.subject', 'config.defaults.title', 'definition.steps[0].label', 'metadata.nickname', 'metadata.name.first',
      'content.body', 'metadata.names', 'content.to', 'content.to[1].x', 'outcome.title_note', '.label', 'params.reason'];
    const database = await withDb(async (db) => (await db.query<{ field: string; one_line: boolean }>(
      'select f as field, app.text_field_is_one_line(f) as one_line from unnest($1::text[]) f', [fields])).rows);
    expect(database.filter((r) => r.one_line).length).toBeGreaterThan(5);
    expect(fields.map((field) => ({ field, one_line: isOneLineField(field) }))).toEqual(database);
  });
});
