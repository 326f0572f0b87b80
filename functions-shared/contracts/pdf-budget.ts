// What reading a PDF would cost, measured before pdf.js is given it.
//
// pdf.js decompresses a stream whole into one buffer before it reads it (and grows that
// buffer by doubling). Deflate turns 1 kB into up to 1 MB, so a 9 MB upload whose page is
// one stream of spaces asked the function for 17 GB: the worker was killed (a 500; on the
// local stack the machine ran out of memory) and every request on it with it. So every
// stream a document holds is decompressed here first, counting bytes and keeping none, and
// a document that would decompress to more than MAX_DECODED_BYTES is refused.
//
// Only deflate (FlateDecode, also nested in itself) is measured this way. pdf.js also
// reads LZW, run-length, Brotli, ASCII85 and ASCIIHex streams, which can expand as much
// and cannot be recognised from their bytes, and encrypted documents, whose streams can be
// measured only once decrypted: such a document is refused, naming the encoding. Writers
// of today's PDFs use deflate; saving the document again as PDF ("Print → Save as PDF")
// gives one that is read.
import { constants, createInflate } from 'node:zlib';

/**
 * The most bytes a document's streams may decompress to in all. Hosted Edge Functions
 * have 256 MB of memory, and pdf.js may hold a stream twice over while its buffer grows.
 */
export const MAX_DECODED_BYTES = 64 * 1024 * 1024;

export type PdfCostProblem =
  | { kind: 'too_large' }
  | { kind: 'unmeasured_encoding'; encoding: string };

// PDF's whitespace (NUL included) and the characters that end a name, as pdf.js reads them.
const SPACE = '[\\0\\t\\n\\f\\r ]';
const NAME_END = '(?=[\\0\\t\\n\\f\\r \\]\\[/<>(){}%]|$)';
// The stream filters pdf.js decodes that are not measured here, and the encryption a
// document may declare.
const UNMEASURED_NAME = new RegExp(`/(LZWDecode|RunLengthDecode|BrotliDecode|ASCII85Decode|ASCIIHexDecode|Crypt|Encrypt)${NAME_END}`);
// Their abbreviations are short enough to occur by chance in binary data, so they count
// only where a filter is named: after /Filter or /F (pdf.js takes either key) or in a list
// of names (a filter list may be an object of its own). A list is at most 8 names long
// here, so a run of names is never searched again from each of its names.
const UNMEASURED_ABBREVIATION = new RegExp(
  `(?:/(?:Filter|F)${SPACE}*\\[?|\\[)(?:${SPACE}*/[A-Za-z0-9]+){0,8}?${SPACE}*/(LZW|RL|A85|AHx)${NAME_END}`);
const ABBREVIATED: Record<string, string> = { LZW: 'LZWDecode', RL: 'RunLengthDecode', A85: 'ASCII85Decode', AHx: 'ASCIIHexDecode' };

/** `/Na#6De` is `/Name` to pdf.js: names with their escapes decoded. */
function withNamesDecoded(text: string): string {
  return text.replace(/\/[^\0\t\n\f\r \/\[\]<>(){}%]*#[^\0\t\n\f\r \/\[\]<>(){}%]*/g,
    (name) => name.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))));
}

/** The first encoding named in `text` that is not measured here, or null. */
function namedEncoding(text: string): string | null {
  const name = UNMEASURED_NAME.exec(text);
  if (name) return name[1]!;
  const abbreviation = UNMEASURED_ABBREVIATION.exec(text);
  return abbreviation ? ABBREVIATED[abbreviation[1]!]! : null;
}

/**
 * The first encoding named in `text` that is not measured here, or null. A comment is
 * whitespace to pdf.js (`/Filter%…⏎/RL`), but a `%` inside a string is no comment, so the
 * text is read both with and without what follows a `%` on its line.
 */
function unmeasuredEncodingIn(text: string): string | null {
  const names = withNamesDecoded(text);
  return namedEncoding(names) ?? namedEncoding(names.replace(/%[^\r\n]*/g, ' '));
}

const latin1 = (bytes: Uint8Array) => new TextDecoder('latin1').decode(bytes);

/** A zlib header (RFC 1950) as pdf.js checks it: deflate, a valid check, no preset dictionary. */
function startsDeflate(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && (bytes[0]! & 0x0f) === 8 && ((bytes[0]! << 8) + bytes[1]!) % 31 === 0 && (bytes[1]! & 0x20) === 0;
}

/**
 * Where each stream's data may begin: after the line break that follows a `stream` keyword
 * (pdf.js skips whatever else is on the keyword's line). One pass, whatever the text holds.
 */
function streamStarts(text: string): number[] {
  const starts: number[] = [];
  const lineBreaks = /[\r\n]/g;
  let lineBreak = -1; // the first line break at or after the current keyword's end
  let from = 0;
  for (;;) {
    const keyword = text.indexOf('stream', from);
    if (keyword < 0) return starts;
    from = keyword + 'stream'.length;
    if (text.startsWith('end', keyword - 3)) continue;
    if (lineBreak < from) {
      lineBreaks.lastIndex = from;
      const found = lineBreaks.exec(text);
      if (!found) return starts;
      lineBreak = found.index;
    }
    const start = lineBreak + (text.startsWith('\r\n', lineBreak) ? 2 : 1);
    if (starts[starts.length - 1] !== start) starts.push(start);
  }
}

class Budget {
  constructor(public left: number) {}
  spend(bytes: number): boolean {
    this.left -= bytes;
    return this.left >= 0;
  }
}

class OverBudget extends Error {}
class Unmeasured extends Error {
  constructor(readonly encoding: string) {
    super(encoding);
  }
}

// Deflate inside deflate deeper than this is no document's: it is refused as too large.
const MAX_NESTING = 8;

/**
 * Decompresses `input` as pdf.js would (a truncated stream is read up to where it stops,
 * anything after its end ignored), spending the budget on every byte that comes out. What
 * comes out is read as pdf.js would read it next: its names are checked (an object stream
 * may hold a filter list), and when it is deflate again (a stream with two FlateDecode
 * filters) it is measured in turn, kept meanwhile (no larger than the budget it spent).
 */
async function measureDeflate(input: Uint8Array[], budget: Budget, depth = 0): Promise<void> {
  if (depth > MAX_NESTING) throw new OverBudget();
  const inflater = createInflate({ finishFlush: constants.Z_SYNC_FLUSH });
  for (const chunk of input) inflater.write(chunk);
  inflater.end();
  const output: Uint8Array[] = [];
  let nested: boolean | null = null; // known once two bytes have come out
  let tail = '';
  try {
    for await (const chunk of inflater as AsyncIterable<Uint8Array>) {
      if (!budget.spend(chunk.byteLength)) throw new OverBudget();
      if (nested !== false) output.push(chunk);
      if (nested === null && output.reduce((n, c) => n + c.byteLength, 0) >= 2) {
        nested = startsDeflate(output.length === 1 ? output[0]! : concat(output.slice(0, 2)));
        if (!nested) output.length = 0;
      }
      const text = tail + latin1(chunk);
      const encoding = unmeasuredEncodingIn(text);
      if (encoding) throw new Unmeasured(encoding);
      tail = text.slice(-256);
    }
  } catch (error) {
    if (error instanceof OverBudget || error instanceof Unmeasured) throw error;
    // Data that stops being deflate: pdf.js stops reading there too.
  } finally {
    inflater.destroy();
  }
  if (nested) await measureDeflate(output, budget, depth + 1);
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return all;
}

/**
 * Why reading this PDF would cost too much or cannot be measured, or null when it may be
 * read. Every `stream` keyword is taken as a stream (one inside another stream's data or a
 * string too), so no stream pdf.js would decompress is left out.
 */
export async function pdfCostProblem(bytes: Uint8Array, maxDecodedBytes = MAX_DECODED_BYTES): Promise<PdfCostProblem | null> {
  const text = latin1(bytes);
  const named = unmeasuredEncodingIn(text);
  if (named) return { kind: 'unmeasured_encoding', encoding: named };
  const budget = new Budget(maxDecodedBytes);
  try {
    for (const start of streamStarts(text)) {
      const data = bytes.subarray(start);
      if (startsDeflate(data)) await measureDeflate([data], budget);
    }
  } catch (error) {
    if (error instanceof OverBudget) return { kind: 'too_large' };
    if (error instanceof Unmeasured) return { kind: 'unmeasured_encoding', encoding: error.encoding };
    throw error;
  }
  return null;
}
