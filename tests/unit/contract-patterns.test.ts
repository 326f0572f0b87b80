// The built-in extraction model on the three sample contracts (text and PDF): every field's
// value, and a quote that is a verbatim sentence of the page it names.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractWithPatterns, isoDate, sentencesOf } from '../../functions-shared/contracts/patterns.ts';
import { documentPages, normaliseText } from '../../functions-shared/contracts/text.ts';
import { SAMPLES } from '../../local/samples/make-contracts.mjs';

const dir = path.resolve(__dirname, '..', '..', 'samples', 'contracts');

describe('built-in contract extraction', () => {
  for (const sample of SAMPLES) {
    for (const kind of ['txt', 'pdf'] as const) {
      it(`reads every field of ${sample.key}.${kind} with a verbatim quote`, async () => {
        const bytes = new Uint8Array(readFileSync(path.join(dir, `${sample.key}.${kind}`)));
        const pages = await documentPages(bytes, kind === 'pdf' ? 'application/pdf' : 'text/plain');
        const fields = extractWithPatterns(pages);
        const values = Object.fromEntries(fields.map((f) => [f.key, f.value]));
        const expected = Object.fromEntries(Object.entries(sample.expected).filter(([, v]) => v !== null));
        expect(values).toEqual(expected);
        for (const field of fields) {
          expect(normaliseText(pages[field.page - 1] ?? '')).toContain(field.quote);
          expect(field.confidence).toBeGreaterThan(0);
        }
      });
    }
  }

  it('cites the notice clause itself, not the renewal term beside it', () => {
    const fields = extractWithPatterns(SAMPLES[1]!.pages(SAMPLES[1]!.term).map((lines) => lines.join('\n')));
    const notice = fields.find((f) => f.key === 'notice_period_days');
    expect(notice).toMatchObject({ value: 90, page: 2 });
    expect(notice?.quote).toContain('no later than ninety (90) days before the end of the Subscription Term.');
  });

  it('joins wrapped lines into one sentence and splits sentences', () => {
    expect(sentencesOf('2.2 Either party may give notice at least sixty (60)\ndays before the end. Then more.\n3. Fees', 1).map((s) => s.text))
      .toEqual(['2.2 Either party may give notice at least sixty (60) days before the end.', 'Then more.', '3. Fees']);
  });

  it('reads dates in three spellings and refuses impossible ones', () => {
    expect(isoDate('30 March 2027')).toBe('2027-03-30');
    expect(isoDate('March 30, 2027')).toBe('2027-03-30');
    expect(isoDate('2027-03-30')).toBe('2027-03-30');
    expect(isoDate('30 February 2027')).toBeNull();
  });

  it('proposes nothing from a document without terms', () => {
    expect(extractWithPatterns(['Meeting notes: we talked about the weather.'])).toEqual([]);
  });
});

describe('document text', () => {
  it('splits plain text into pages on form feeds and refuses a document without text or far too long', async () => {
    const encode = (text: string) => new TextEncoder().encode(text);
    expect(await documentPages(encode('page one\fpage two'), 'text/plain')).toEqual(['page one', 'page two']);
    await expect(documentPages(encode(' \n\f \n'), 'text/plain')).rejects.toThrow(/no text/);
    await expect(documentPages(encode('x'.repeat(3 * 1024 * 1024 + 1)), 'text/plain')).rejects.toThrow(/more than 3 MB of text/);
    // Counted in the bytes of the request that stores it, not in characters: '€' is 3 bytes.
    await expect(documentPages(encode('€'.repeat(1_200_000)), 'text/plain')).rejects.toThrow(/more than 3 MB of text/);
    expect(await documentPages(encode('€'.repeat(1_000_000)), 'text/plain')).toHaveLength(1);
    await expect(documentPages(encode('%PDF-1.4 not really a pdf'), null)).rejects.toThrow(/could not be read/);
  });
});
