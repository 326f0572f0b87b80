// A contract PDF is measured before pdf.js reads it (functions-shared/contracts/pdf-budget.ts).
// pdf.js decompresses a stream whole into memory: a 9 MB upload whose page was one deflate
// stream of spaces took the extract-contract worker to 17 GB, and it was killed (a 500;
// the local stack's machine ran out of memory). Now a document whose streams decompress to
// more than 64 MB, or that uses an encoding that cannot be measured (LZW, run-length,
// Brotli, encryption), is refused with words
// (DocumentTextError, 422 unreadable_document) before pdf.js sees it. And a small document
// that asks for endless work (a page drawing a form a hundred times, each drawing another a
// hundred times: 10^8 text runs from 2 kB) is stopped at the read deadline, where before it
// kept the function past the gateway's 150 s, answered 500.
import { readFileSync, readdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { documentPages, DocumentTextError, PDF_READ_DEADLINE_MS } from '../../functions-shared/contracts/text.ts';
import { MAX_DECODED_BYTES, pdfCostProblem } from '../../functions-shared/contracts/pdf-budget.ts';
import { onePagePdf } from '../support/one-page-pdf.ts';

const MB = 1024 * 1024;

const TEXT = 'BT /F1 12 Tf 72 712 Td (This Agreement renews automatically.) Tj ET';

/** ASCII85 as PDF writes it, ending `~>`. */
function ascii85(bytes: Buffer): Buffer {
  let out = '';
  for (let at = 0; at < bytes.length; at += 4) {
    const group = bytes.subarray(at, at + 4);
    const padded = Buffer.concat([group, Buffer.alloc(4 - group.length)]);
    let value = padded.readUInt32BE(0);
    if (value === 0 && group.length === 4) {
      out += 'z';
      continue;
    }
    const digits: string[] = [];
    for (let i = 0; i < 5; i++) {
      digits.unshift(String.fromCharCode(0x21 + (value % 85)));
      value = Math.floor(value / 85);
    }
    out += digits.slice(0, group.length + 1).join('');
  }
  return Buffer.from(`${out}~>`);
}
/** Page content that is `megabytes` of spaces and then a line of text: what a bomb holds. */
const spacesThenText = (megabytes: number) => Buffer.concat([Buffer.alloc(megabytes * MB, 0x20), Buffer.from(TEXT)]);

describe('a PDF is measured before it is read', () => {
  it('one deflate stream that decompresses past the budget is refused, and quickly', async () => {
    const bomb = onePagePdf(deflateSync(spacesThenText(80), { level: 9 }), { filter: '/FlateDecode' });
    expect(bomb.byteLength).toBeLessThan(MB);
    const started = Date.now();
    await expect(documentPages(bomb, 'application/pdf')).rejects.toThrow(DocumentTextError);
    await expect(documentPages(bomb, 'application/pdf')).rejects.toThrow(/decompresses to more than 64 MB.*Save it again as PDF/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('deflate inside deflate is measured at every level', async () => {
    const inner = deflateSync(spacesThenText(80), { level: 9 });
    const bomb = onePagePdf(deflateSync(inner), { filter: '[/FlateDecode /FlateDecode]' });
    expect(await pdfCostProblem(bomb)).toEqual({ kind: 'too_large' });
  });

  it('many streams count together', async () => {
    const streams = Array.from({ length: 5 }, () =>
      Buffer.concat([Buffer.from('<< /Filter /FlateDecode >>\nstream\n'), deflateSync(Buffer.alloc(15 * MB, 0x20)), Buffer.from('\nendstream')]).toString('latin1'));
    expect(await pdfCostProblem(onePagePdf(Buffer.from(TEXT), { extra: streams }))).toEqual({ kind: 'too_large' });
  });

  it('a bomb behind a `stream` keyword hidden in a string is still found', async () => {
    const decoy = '<< /Note (see the stream\n) >>';
    expect(await pdfCostProblem(onePagePdf(deflateSync(spacesThenText(80)), { filter: '/FlateDecode', extra: [decoy] }))).toEqual({ kind: 'too_large' });
  });

  it.each([
    ['LZW', '/LZWDecode', 'LZWDecode'],
    ['LZW with its name escaped', '/LZW#44ecode', 'LZWDecode'],
    ['run-length, abbreviated in a filter list', '[/Fl /RL]', 'RunLengthDecode'],
    ['Brotli', '/BrotliDecode', 'BrotliDecode'],
  ])('an encoding that cannot be measured (%s) is refused, naming it', async (_, filter, encoding) => {
    const document = onePagePdf(Buffer.from(TEXT), { filter });
    expect(await pdfCostProblem(document)).toEqual({ kind: 'unmeasured_encoding', encoding });
    await expect(documentPages(document, 'application/pdf')).rejects.toThrow(`The PDF uses ${encoding} compression`);
  });

  it('deflate under ASCII85 or ASCIIHex text is measured through the text', async () => {
    const bomb = deflateSync(spacesThenText(80), { level: 9 });
    expect(await pdfCostProblem(onePagePdf(ascii85(bomb), { filter: '[/ASCII85Decode /FlateDecode]' }))).toEqual({ kind: 'too_large' });
    expect(await pdfCostProblem(onePagePdf(Buffer.from(`${bomb.toString('hex')}>`), { filter: '[/AHx /Fl]' }))).toEqual({ kind: 'too_large' });
    // Hex text may hold anything between its digits: pdf.js skips it.
    const padded = Buffer.from(`${'x'.repeat(10_000)}${bomb.toString('hex').replace(/(..)/g, '$1 ')}>`);
    expect(await pdfCostProblem(onePagePdf(padded, { filter: '/ASCIIHexDecode' }))).toEqual({ kind: 'too_large' });
  });

  it('a page written as ReportLab writes it, ASCII85 over deflate, is read', async () => {
    const page = onePagePdf(ascii85(deflateSync(Buffer.from(TEXT))), { filter: '[ /ASCII85Decode /FlateDecode ]' });
    expect(await pdfCostProblem(page)).toBeNull();
    expect((await documentPages(page, 'application/pdf'))[0]).toContain('This Agreement renews automatically.');
  });

  it('a filter list kept inside a compressed object stream is found there too', async () => {
    const objectStream = Buffer.concat([Buffer.from('<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode >>\nstream\n'),
      deflateSync(Buffer.from('7 0 [/LZW]')), Buffer.from('\nendstream')]).toString('latin1');
    expect(await pdfCostProblem(onePagePdf(Buffer.from(TEXT), { filter: '7 0 R', extra: [objectStream] })))
      .toEqual({ kind: 'unmeasured_encoding', encoding: 'LZWDecode' });
  });

  it('an encrypted document is refused in words that say what to do', async () => {
    const document = onePagePdf(Buffer.from(TEXT), { trailer: ' /Encrypt 9 0 R' });
    await expect(documentPages(document, 'application/pdf')).rejects.toThrow(/The PDF is encrypted .*Save an unprotected copy/);
  });

  it('a small document that asks for endless work is stopped at the read deadline, in words', async () => {
    // The page draws form 1 a hundred times, which draws form 2 a hundred times, … form 3 writes a word.
    const forms = [1, 2, 3].map((level) => {
      const body = level === 3 ? 'BT /F1 12 Tf 72 712 Td (word) Tj ET' : '/X Do\n'.repeat(100);
      const resources = level === 3 ? '<< /Font << /F1 5 0 R >> >>' : `<< /XObject << /X ${6 + level} 0 R >> >>`;
      return `<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources ${resources} /Length ${body.length} >>\nstream\n${body}\nendstream`;
    });
    const document = onePagePdf(Buffer.from('/X Do\n'.repeat(100)), { extra: forms });
    const patched = Buffer.from(document).toString('latin1').replace('/Font << /F1 5 0 R >> >>', '/Font << /F1 5 0 R >> /XObject << /X 6 0 R >> >>');
    const started = Date.now();
    await expect(documentPages(new Uint8Array(Buffer.from(patched, 'latin1')), 'application/pdf', { readDeadlineMs: 2_000 }))
      .rejects.toThrow(/The PDF takes more than 2 s to read\. Save it again as PDF/);
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(PDF_READ_DEADLINE_MS).toBeLessThan(150_000);
  }, 20_000);

  it('documents within the budget are read as before: a compressed page and the sample contracts', async () => {
    const page = onePagePdf(deflateSync(spacesThenText(1)), { filter: '/FlateDecode' });
    expect(await pdfCostProblem(page)).toBeNull();
    expect((await documentPages(page, 'application/pdf'))[0]).toContain('This Agreement renews automatically.');
    const samples = readdirSync('samples/contracts').filter((name) => name.endsWith('.pdf'));
    expect(samples.length).toBeGreaterThan(0);
    for (const name of samples) {
      const pages = await documentPages(new Uint8Array(readFileSync(`samples/contracts/${name}`)), 'application/pdf');
      expect(pages.join(' '), name).toMatch(/\w{4,}/);
    }
  });

  it('the measuring itself stays linear on hostile text (keywords and names without end)', async () => {
    const hostile = Buffer.concat([Buffer.from('%PDF-1.5\n'), Buffer.from('stream'.repeat(1_000_000)),
      Buffer.from('/F'.repeat(2_000_000)), Buffer.from(`[${' '.repeat(2_000_000)}`), Buffer.from('/a'.repeat(1_000_000))]);
    const started = Date.now();
    expect(await pdfCostProblem(new Uint8Array(hostile), MAX_DECODED_BYTES)).toBeNull();
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
