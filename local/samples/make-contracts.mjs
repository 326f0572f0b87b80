// Three sample contract documents, as plain text and as PDF, with different renewal and
// notice clauses (docs/contracts.md):
//   northwind-msa   auto-renews for 12 months, notice of non-renewal 60 days before the end
//   globex-saas     auto-renews for 24 months, notice 90 days before the end, terminable for convenience
//   initech-order   does not renew automatically; no notice period
//
//   node local/samples/make-contracts.mjs            writes samples/contracts/*.txt and *.pdf
//
// The PDF is written by hand (a few PDF objects, Helvetica, one text line per `Tj`), so the
// samples need no download and the same writer makes the benchmark's 20-page document and
// the end-to-end test's contract dated relative to today.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "30 March 2027" from an ISO date. @param {string} iso */
export function longDate(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return `${d} ${MONTHS[Number(m) - 1]
} ${y}`;
}

/** @param {string} iso @param {number} days */
export function addDays(iso, days) {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/**
 * @typedef {{ start: string, end: string }} Term
 * @typedef {{ key: string, title: string, customer: string, term: Term, pages: (t: Term) => string[][], expected: Record<string, unknown> }} Sample
 */

/** @type {Sample[]} */
export const SAMPLES = [
  {
    key: 'northwind-msa',
    title: 'Master Subscription Agreement',
    customer: 'Northwind Traders Ltd',
    term: { start: '2026-03-30', end: '2027-03-29' },
    pages: (t) => [[
      'MASTER SUBSCRIPTION AGREEMENT',
      '',
      'This Master Subscription Agreement is made between Renubu Demo Supplier Inc. ("Supplier")',
      'and Northwind Traders Ltd ("Customer").',
      '',
      '1. Term',
      `1.1 This Agreement commences on ${longDate(t.start)} (the "Effective Date").`,
      '1.2 The initial term of this Agreement is twelve (12) months.',
      `1.3 The initial term ends on ${longDate(t.end)}.`,
      '',
      '2. Renewal',
      '2.1 This Agreement renews automatically for successive periods of twelve (12) months.',
      '2.2 Either party may prevent renewal by giving written notice of non-renewal at least sixty (60)',
      'days before the end of the then-current term.',
      '',
      '3. Fees and payment',
      '3.1 The annual subscription fee is USD 48,000.',
      '3.2 Invoices are payable net 30 days from the invoice date.',
      '3.3 Supplier may increase the fees at renewal; any increase shall not exceed 5% per year.',
      '',
      '4. Termination',
      '4.1 Neither party may terminate this Agreement for convenience.',
      '4.2 Either party may terminate for material breach not cured within thirty (30) days.',
    ]],
    expected: {
      start_date: '2026-03-30', end_date: '2027-03-29', auto_renew: true, notice_period_days: 60, term_months: 12,
      annual_value: 48000, currency: 'USD', price_increase_cap_pct: 5, termination_for_convenience: false, payment_terms: 'Net 30',
    },
  },
  {
    key: 'globex-saas',
    title: 'Software as a Service Agreement',
    customer: 'Globex Corporation',
    term: { start: '2025-07-01', end: '2027-06-30' },
    pages: (t) => [[
      'SOFTWARE AS A SERVICE AGREEMENT',
      '',
      'Between Renubu Demo Supplier Inc. ("Provider") and Globex Corporation ("Client").',
      '',
      'SECTION 1 - DEFINITIONS',
      '"Services" means the hosted software described in the Order.',
      '"Subscription Term" means the period set out in Section 4.',
      '',
      'SECTION 2 - SERVICES',
      'Provider will make the Services available to Client during the Subscription Term.',
    ], [
      'SECTION 3 - FEES',
      '3.1 Client shall pay an annual fee of EUR 120,000.',
      '3.2 Payment terms: net 45 days.',
      '3.3 Price increases at renewal are capped at 3% of the prior year\'s fees.',
      '',
      'SECTION 4 - TERM AND RENEWAL',
      `4.1 The Subscription Term starts on ${longDate(t.start)} and has a duration of twenty-four (24) months,`,
      `ending on ${longDate(t.end)}.`,
      '4.2 The Subscription Term shall automatically renew for additional periods of twenty-four (24)',
      'months unless either party gives written notice of non-renewal no later than ninety (90) days',
      'before the end of the Subscription Term.',
    ], [
      'SECTION 5 - TERMINATION',
      '5.1 Client may terminate this Agreement for convenience on thirty (30) days\' written notice.',
      '5.2 Fees paid are non-refundable except as stated in this Agreement.',
      '',
      'SECTION 6 - GENERAL',
      'This Agreement is governed by the laws of Ireland.',
    ]],
    expected: {
      start_date: '2025-07-01', end_date: '2027-06-30', auto_renew: true, notice_period_days: 90, term_months: 24,
      annual_value: 120000, currency: 'EUR', price_increase_cap_pct: 3, termination_for_convenience: true, payment_terms: 'Net 45',
    },
  },
  {
    key: 'initech-order',
    title: 'Order Form',
    customer: 'Initech LLC',
    term: { start: '2025-02-01', end: '2028-01-31' },
    pages: (t) => [[
      'ORDER FORM',
      '',
      'Customer: Initech LLC',
      'Supplier: Renubu Demo Supplier Inc.',
      '',
      `Subscription start date: ${longDate(t.start)}`,
      `Subscription end date: ${longDate(t.end)}`,
      'Subscription term: thirty-six (36) months',
      'Annual fee: GBP 75,000',
      'Payment terms: Net 60',
      '',
      'Renewal: This Order Form does not renew automatically and expires at the end of the Subscription',
      'Term. Any renewal requires a new Order Form signed by both parties.',
      '',
      'Price protection: annual price increases shall not exceed seven percent (7%).',
      '',
      'Termination: this Order Form may not be terminated for convenience.',
    ]],
    expected: {
      start_date: '2025-02-01', end_date: '2028-01-31', auto_renew: false, notice_period_days: null, term_months: 36,
      annual_value: 75000, currency: 'GBP', price_increase_cap_pct: 7, termination_for_convenience: false, payment_terms: 'Net 60',
    },
  },
];

/** The pages of a sample as text: lines joined, pages separated by form feeds. @param {string[][]} pages */
export function textFromPages(pages) {
  return pages.map((lines) => lines.join('\n')).join('\n\f\n');
}

/**
 * A PDF with one page per entry, each line drawn as its own text line (Helvetica 11 pt).
 * Only ASCII text; parentheses and backslashes are escaped as PDF strings require.
 * @param {string[][]} pages
 * @returns {Buffer}
 */
export function pdfFromPages(pages) {
  /** @type {string[]} objects by number - 1 */
  const objects = [];
  const add = (/** @type {string} */ body) => { objects.push(body); return objects.length; };
  const catalog = add(''); // filled below
  const pageTree = add('');
  const font = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  const kids = [];
  for (const lines of pages) {
    const escaped = lines.map((line) => `(${line.replace(/[^\x20-\x7e]/g, '?').replace(/([\\()])/g, '\\$1')}) Tj T*`);
    const content = `BT /F1 11 Tf 14 TL 56 760 Td\n${escaped.join('\n')}\nET`;
    const stream = add(`<< /Length ${Buffer.byteLength(content)} >>\nstream\n${content}\nendstream`);
    kids.push(add(`<< /Type /Page /Parent ${pageTree} 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 ${font} 0 R >> >> /Contents ${stream} 0 R >>`));
  }
  objects[catalog - 1] = `<< /Type /Catalog /Pages ${pageTree} 0 R >>`;
  objects[pageTree - 1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;

  let out = '%PDF-1.4\n';
  /** @type {number[]} */
  const offsets = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  out += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/**
 * A sample's pages with its own term or another one (tests date a contract relative to today).
 * @param {Sample} sample @param {Term} [term]
 */
export function samplePages(sample, term = sample.term) {
  return sample.pages(term);
}

/** Writes every sample as text and PDF into `dir`. @param {string} dir */
export function writeSamples(dir) {
  mkdirSync(dir, { recursive: true });
  for (const sample of SAMPLES) {
    const pages = samplePages(sample);
    writeFileSync(path.join(dir, `${sample.key}.txt`), `${textFromPages(pages)}\n`);
    writeFileSync(path.join(dir, `${sample.key}.pdf`), pdfFromPages(pages));
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'samples', 'contracts');
  writeSamples(dir);
  process.stdout.write(`wrote ${SAMPLES.length * 2} files to ${path.relative(process.cwd(), dir) || dir}\n`);
}
