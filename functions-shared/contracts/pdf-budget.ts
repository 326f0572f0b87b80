// What reading a PDF would cost, measured before pdf.js is given it.
//
// pdf.js decompresses a stream whole into one buffer before it reads it (and grows that
// buffer by doubling). Deflate turns 1 kB into up to 1 MB, so a 9 MB upload whose page is
// one stream of spaces asked the function for 17 GB: the worker was killed (a 500; on the
// local stack the machine ran out of memory) and every request on it with it. So every
// stream a document holds is decoded here first, counting bytes, and a document that would
// decode to more than MAX_DECODED_BYTES is refused.
//
// Measured this way: deflate (FlateDecode), also nested in itself, and ASCII85 or ASCIIHex
// text before it ([/ASCII85Decode /FlateDecode] is what ReportLab writes), each recognised
// by its first bytes as pdf.js decodes them. pdf.js also reads LZW, run-length and Brotli
// streams, which can expand as much and cannot be recognised from their bytes, and
// encrypted documents, whose streams can be measured only once decrypted: such a document
// is refused, naming the encoding. Saving it again as PDF ("Print → Save as PDF") gives one
// that is read.
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
const UNMEASURED_NAME = new RegExp(`/(LZWDecode|RunLengthDecode|BrotliDecode|Crypt|Encrypt)${NAME_END}`);
// Their abbreviations are short enough to occur by chance in binary data, so they count
// only where a filter is named: after /Filter or /F (pdf.js takes either key) or in a list
// of names (a filter list may be an object of its own). A list is at most 8 names long
// here, so a run of names is never searched again from each of its names.
const UNMEASURED_ABBREVIATION = new RegExp(
  `(?:/(?:Filter|F)${SPACE}*\\[?|\\[)(?:${SPACE}*/[A-Za-z0-9]+){0,8}?${SPACE}*/(LZW|RL)${NAME_END}`);
const ABBREVIATED: Record<string, string> = { LZW: 'LZWDecode', RL: 'RunLengthDecode' };

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

// Encodings inside encodings deeper than this are no document's: refused as too large.
const MAX_NESTING = 8;

// ASCII85 and ASCIIHex exactly as pdf.js' Ascii85Stream and AsciiHexStream decode them
// (what they skip, where they end), so what is measured is what pdf.js will read.
const isAscii85Space = (c: number) => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;

/** `data` decoded as ASCII85, up to `limit` bytes (a `z` is four zero bytes). */
function decodeAscii85(data: Uint8Array, limit: number): Uint8Array {
  const out = new Uint8Array(Math.min(limit, data.length * 4 + 4));
  let length = 0;
  let at = 0;
  const next = () => {
    while (at < data.length && isAscii85Space(data[at]!)) at++;
    return at < data.length ? data[at++]! : -1;
  };
  const push = (byte: number) => {
    if (length < out.length) out[length++] = byte;
  };
  while (length < out.length) {
    const c = next();
    if (c === -1 || c === 0x7e) break; // the end, or `~>`
    if (c === 0x7a) {
      for (let i = 0; i < 4; i++) push(0);
      continue;
    }
    const group = [c];
    while (group.length < 5) {
      const d = next();
      if (d === -1 || d === 0x7e) break;
      group.push(d);
    }
    const bytes = group.length - 1; // a short last group gives one byte fewer than its characters
    while (group.length < 5) group.push(0x21 + 84);
    let value = 0;
    for (const d of group) value = value * 85 + (d - 0x21);
    for (let i = 3; i >= 4 - bytes; i--) push((value >>> (8 * i)) & 0xff);
    if (bytes < 4) break;
  }
  return out.subarray(0, length);
}

/** `data` decoded as ASCIIHex (anything but a hex digit skipped, `>` the end), up to `limit` bytes. */
function decodeAsciiHex(data: Uint8Array, limit: number): Uint8Array {
  const out = new Uint8Array(Math.min(limit, Math.ceil(data.length / 2)));
  let length = 0;
  let high = -1;
  for (let at = 0; at < data.length && length < out.length; at++) {
    const c = data[at]!;
    let digit: number;
    if (c >= 0x30 && c <= 0x39) digit = c & 0x0f;
    else if ((c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)) digit = (c & 0x0f) + 9;
    else if (c === 0x3e) break;
    else continue;
    if (high < 0) {
      high = digit;
    } else {
      out[length++] = (high << 4) | digit;
      high = -1;
    }
  }
  if (high >= 0 && length < out.length) out[length++] = high << 4;
  return out.subarray(0, length);
}

/**
 * Measures what pdf.js would make of a stream starting at `data`: deflate is inflated; text
 * (ASCII85, ASCIIHex) whose first decoded bytes begin deflate is decoded and measured in
 * turn. Anything else is read as it is, at no cost beyond its own bytes.
 */
async function measureStream(data: Uint8Array, budget: Budget, depth = 0): Promise<void> {
  if (depth > MAX_NESTING) throw new OverBudget();
  if (startsDeflate(data)) {
    await measureStream(await inflated(data, budget), budget, depth + 1);
    return;
  }
  for (const decode of [decodeAscii85, decodeAsciiHex]) {
    if (!startsDeflate(decode(data, 2))) continue;
    const decoded = decode(data, budget.left + 1);
    if (!budget.spend(decoded.byteLength)) throw new OverBudget();
    await measureStream(decoded, budget, depth + 1);
    return;
  }
}

/**
 * `input` inflated as pdf.js would (a truncated stream read up to where it stops, anything
 * after its end ignored), every byte that comes out spent from the budget and its names
 * checked (an object stream may hold a filter list). What came out is kept, no larger than
 * the budget it spent, to be measured in turn.
 */
async function inflated(input: Uint8Array, budget: Budget): Promise<Uint8Array> {
  const inflater = createInflate({ finishFlush: constants.Z_SYNC_FLUSH });
  inflater.end(input);
  const output: Uint8Array[] = [];
  let tail = '';
  try {
    for await (const chunk of inflater as AsyncIterable<Uint8Array>) {
      if (!budget.spend(chunk.byteLength)) throw new OverBudget();
      output.push(chunk);
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
  return concat(output);
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
 * string too), so no stream pdf.js would decode is left out.
 */
export async function pdfCostProblem(bytes: Uint8Array, maxDecodedBytes = MAX_DECODED_BYTES): Promise<PdfCostProblem | null> {
  const text = latin1(bytes);
  const named = unmeasuredEncodingIn(text);
  if (named) return { kind: 'unmeasured_encoding', encoding: named };
  const budget = new Budget(maxDecodedBytes);
  try {
    for (const start of streamStarts(text)) await measureStream(bytes.subarray(start), budget);
  } catch (error) {
    if (error instanceof OverBudget) return { kind: 'too_large' };
    if (error instanceof Unmeasured) return { kind: 'unmeasured_encoding', encoding: error.encoding };
    throw error;
  }
  return null;
}
