#!/usr/bin/env node
// Benchmark of contract extraction (issue 14): a 20-page PDF contract read by the built-in
// model through the deployed path — POST /functions/v1/extract-contract as a signed-in CSM:
// the function downloads the document from Storage as the caller, reads the PDF's text
// (unpdf in Deno), proposes the fields with citations and stores the extraction (quote
// check, history index). Target: p95 ≤ 2 s per document.
//
// Run with the stack up (`npx renubu start -d`); the stack must use the built-in model (no
// OLLAMA_HOST / LLM_PROVIDER=mock). Everything it stores is removed at the end.
import os from 'node:os';
import pg from 'pg';
import { ANON_KEY, stackConfig } from '../config.mjs';
import { pdfFromPages, SAMPLES, samplePages } from '../samples/make-contracts.mjs';
import { summarise, timeSequential, writeResults } from './stats.mjs';

const ITERATIONS = Number(process.env.BENCH_EXTRACT_ITERATIONS ?? 15);
const PAGES = 20;
const TARGET_P95_MS = 2000;
const cfg = stackConfig(process.env);
const load = () => os.loadavg().map((n) => n.toFixed(2)).join(' ');

/** A 20-page contract: the sample's clauses spread over pages of schedule text. */
function twentyPageContract() {
  const sample = SAMPLES[1];
  if (!sample) throw new Error('make-contracts.mjs has no second sample');
  const [first = []] = samplePages(sample);
  const clauses = samplePages(sample).flat();
  const pages = [];
  for (let p = 0; p < PAGES; p++) {
    const lines = p === 0 ? [...first] : [`SCHEDULE ${p} - SERVICE DESCRIPTION`];
    for (let i = lines.length; i < 46; i++) {
      lines.push(`${p}.${i} The Provider shall maintain the Services described in this Schedule in accordance with the service levels.`);
    }
    if (p === 12) lines.splice(5, clauses.length, ...clauses); // the terms sit deep in the document
    pages.push(lines.slice(0, 48));
  }
  return pdfFromPages(pages);
}

/** @param {string} email */
async function signIn(email) {
  const response = await fetch(`${cfg.apiUrl}/auth/v1/token?grant_type=password`, {
    method: 'POST',
    headers: { apikey: ANON_KEY, 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password: 'renubu-demo-password' }),
  });
  if (!response.ok) throw new Error(`sign-in failed (${response.status}): is the stack up and seeded?`);
  return (await response.json()).access_token;
}

const db = new pg.Pool({ connectionString: cfg.dbUrl, max: 1 });
const { rows: [target] } = await db.query(
  `select c.id as customer_id, c.org_id from app.customers c join app.profiles p on p.id = c.assigned_to
    where p.email = 'sam.csm@acme.test' order by c.name limit 1`);
if (!target) throw new Error('No customer of sam.csm@acme.test: seed the stack first.');
const token = await signIn('sam.csm@acme.test');
const headers = { apikey: ANON_KEY, Authorization: `Bearer ${token}` };
const objectPath = `${target.org_id}/${target.customer_id}/bench-20-pages.pdf`;
const pdf = twentyPageContract();

const uploaded = await fetch(`${cfg.apiUrl}/storage/v1/object/contracts/${objectPath}`, {
  method: 'POST',
  headers: { ...headers, 'Content-Type': 'application/pdf', 'x-upsert': 'true' },
  body: /** @type {BodyInit} */ (/** @type {unknown} */ (pdf)),
});
if (!uploaded.ok) throw new Error(`upload failed: ${uploaded.status} ${await uploaded.text()}`);

/** @type {string[]} */
const extractionIds = [];
/** @returns {Promise<import('../../functions-shared/api/functions.ts').ExtractContractResponse>} */
async function extract() {
  const response = await fetch(`${cfg.apiUrl}/functions/v1/extract-contract`, {
    method: 'POST',
    headers: { ...headers, 'Content-Type': 'application/json' },
    body: JSON.stringify({ customer_id: target.customer_id, object_path: objectPath }),
  });
  const body = await response.json();
  if (!response.ok) throw new Error(`extract-contract answered ${response.status}: ${JSON.stringify(body)}`);
  extractionIds.push(body.extraction_id);
  return body;
}

try {
  console.log(`load average before: ${load()}`);
  const warm = await extract(); // the worker's first start (Deno boot, unpdf load) is not a steady-state figure
  const found = warm.fields.filter((f) => f.value !== null).length;
  console.log(`${PAGES}-page PDF (${Math.round(pdf.length / 1024)} KB), model ${warm.model}: ${found} of ${warm.fields.length} fields found`);
  const samples = await timeSequential(ITERATIONS, () => extract());
  const figures = summarise(samples);
  console.log(`extract-contract, 20 pages: p50 ${figures.p50_ms} ms, p95 ${figures.p95_ms} ms (target p95 ≤ ${TARGET_P95_MS} ms) ${figures.p95_ms <= TARGET_P95_MS ? 'OK' : 'OVER'}`);
  console.log(`load average after: ${load()} (${os.cpus().length} cores)`);
  writeResults('contract-extraction', {
    pages: PAGES, pdf_bytes: pdf.length, model: warm.model, fields_found: found,
    extract_contract: figures, target_p95_ms: TARGET_P95_MS, load_average: os.loadavg(), cores: os.cpus().length,
  });
} finally {
  // Leave the demo data as it was: the extractions, their history passages, the document.
  await db.query(`delete from app.customer_history_passages where source_kind = 'contract' and source_id = any($1::uuid[])`, [extractionIds]);
  await db.query('delete from app.contract_extractions where id = any($1::uuid[])', [extractionIds]);
  await fetch(`${cfg.apiUrl}/storage/v1/object/contracts`, {
    method: 'DELETE', headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify({ prefixes: [objectPath] }),
  });
  await db.end();
}
