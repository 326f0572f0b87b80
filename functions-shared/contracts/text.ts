// A contract document's text, page by page: a PDF through `unpdf` (pdf.js built for
// serverless runtimes; it runs in Deno and Node and fetches nothing at runtime), or plain
// text, where a form feed separates pages. Whitespace inside a page is kept as the document
// has it; quotes are compared with whitespace collapsed (the citation rule in SQL).
import { getDocumentProxy } from 'unpdf';
import { MAX_DECODED_BYTES, pdfCostProblem, type PdfCostProblem } from './pdf-budget.ts';

export class DocumentTextError extends Error {}

const MAX_PAGES = 500;
// What one extraction stores and sends to the database in one request: the API's body cap
// is 4 MB of bytes (UTF-8, after JSON's escapes), so the pages may take 3 MB of it and the
// proposals and the rest of the request the remainder. Counted in bytes, not characters:
// a character can be up to 4 bytes ('€' is 3), a line break is 2 in JSON. A contract is a
// few hundred kB of text at most.
export const MAX_TEXT_BYTES = 3 * 1024 * 1024;

/** The bytes `pages` take in the request that stores them (a JSON array of strings, UTF-8). */
export function pagesRequestBytes(pages: string[]): number {
  return new TextEncoder().encode(JSON.stringify(pages)).byteLength;
}

export function isPdf(bytes: Uint8Array, mimetype?: string | null): boolean {
  if ((mimetype ?? '').toLowerCase().startsWith('application/pdf')) return true;
  return bytes.length >= 5 && String.fromCharCode(...bytes.subarray(0, 5)) === '%PDF-';
}

/**
 * How long reading a PDF's text may take. A small document can ask for endless work (a page
 * drawing a form a hundred times, each drawing another a hundred times…), and the gateway
 * gives a function 150 s before it answers 500 in its stead.
 */
export const PDF_READ_DEADLINE_MS = 60_000;
/** The most text runs a document's pages may hold, empty ones included. */
const MAX_TEXT_RUNS = 1_000_000;

const tooMuchText = () =>
  new DocumentTextError(`The document has more than ${MAX_TEXT_BYTES / (1024 * 1024)} MB of text; split it into its parts.`);

export async function documentPages(bytes: Uint8Array, mimetype?: string | null,
  { readDeadlineMs = PDF_READ_DEADLINE_MS }: { readDeadlineMs?: number } = {}): Promise<string[]> {
  let pages: string[];
  if (isPdf(bytes, mimetype)) {
    // Measured before pdf.js is given it: pdf.js decompresses a stream whole, so a few MB
    // of deflate could ask for gigabytes and take the function down (pdf-budget.ts).
    const problem = await pdfCostProblem(bytes);
    if (problem) throw new DocumentTextError(costProblemWords(problem));
    pages = await pdfPages(bytes, readDeadlineMs);
  } else {
    const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes).replace(/\r\n?/g, '\n');
    pages = text.split('\f');
    if (pages.length > MAX_PAGES) throw new DocumentTextError(`The document has more than ${MAX_PAGES} pages.`);
  }
  // Postgres text cannot hold NUL; a page of nothing but whitespace is still a page.
  pages = pages.map((page) => page.replace(/\u0000/g, '').trim());
  if (pagesRequestBytes(pages) > MAX_TEXT_BYTES) throw tooMuchText();
  if (pages.every((page) => page === '')) {
    throw new DocumentTextError('The document has no text (a scanned PDF needs OCR first).');
  }
  return pages;
}

/**
 * A PDF's text, page by page, as unpdf's extractText gives it (each run's text, a line
 * break after a run that ends a line), read as pdf.js streams it: pdf.js waits for each
 * batch to be taken before it reads on, so the reading stops, cancelled, as soon as the
 * text grows past what may be stored or the deadline passes. Read whole at once, a page
 * drawing one form a million times was read to the end however long it took (pdf.js yields
 * only to promises, never to a timer) and held every run in memory meanwhile.
 */
async function pdfPages(bytes: Uint8Array, deadlineMs: number): Promise<string[]> {
  const started = Date.now();
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>> | null = null;
  try {
    pdf = await getDocumentProxy(new Uint8Array(bytes));
    if (pdf.numPages > MAX_PAGES) throw new DocumentTextError(`The document has more than ${MAX_PAGES} pages.`);
    const pages: string[] = [];
    let characters = 0;
    let runs = 0;
    for (let number = 1; number <= pdf.numPages; number++) {
      const reader = (await pdf.getPage(number)).streamTextContent().getReader() as ReadableStreamDefaultReader<{ items: { str?: string; hasEOL?: boolean }[] }>;
      let text = '';
      try {
        for (let batch = await reader.read(); !batch.done; batch = await reader.read()) {
          for (const item of batch.value.items) {
            if (typeof item.str === 'string') text += item.str + (item.hasEOL ? '\n' : '');
          }
          runs += batch.value.items.length;
          // Characters are never more than the bytes stored: past the limit, so is the text.
          if (characters + text.length > MAX_TEXT_BYTES || runs > MAX_TEXT_RUNS) throw tooMuchText();
          if (Date.now() - started > deadlineMs) {
            throw new DocumentTextError(`The PDF takes more than ${Math.round(deadlineMs / 1000)} s to read. Save it again as PDF (Print → Save as PDF) and upload that.`);
          }
        }
      } finally {
        // Let go of the stream, never cancel it: pdf.js closes a cancelled stream's
        // controller again when its worker task ends, a rejection nobody can catch (in
        // Deno it ends the function's isolate). Destroying the document below stops the
        // task instead.
        reader.releaseLock();
      }
      pages.push(text);
      characters += text.length;
    }
    return pages;
  } catch (error) {
    if (error instanceof DocumentTextError) throw error;
    throw new DocumentTextError('The PDF could not be read.');
  } finally {
    // Ends pdf.js' work on the document and frees what it holds (a document handed to
    // extractText was never destroyed).
    await pdf?.loadingTask.destroy().catch(() => undefined);
  }
}

/** Why a PDF is not read, in words that say what to do instead. */
function costProblemWords(problem: PdfCostProblem): string {
  const again = 'Save it again as PDF (Print → Save as PDF) and upload that.';
  if (problem.kind === 'too_large') {
    return `The PDF decompresses to more than ${MAX_DECODED_BYTES / (1024 * 1024)} MB, more than can be read. ${again}`;
  }
  if (problem.encoding === 'Encrypt' || problem.encoding === 'Crypt') {
    return 'The PDF is encrypted (protected with a password or with restrictions), so it cannot be read. Save an unprotected copy (Print → Save as PDF) and upload that.';
  }
  return `The PDF uses ${problem.encoding} compression, which is not read here. ${again}`;
}

/** Whitespace collapsed, as the citation rule compares quotes with the text. */
export function normaliseText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
