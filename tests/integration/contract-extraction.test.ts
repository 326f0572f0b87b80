// Contract documents end to end through supabase-js, as the web app drives them: upload to
// the `contracts` bucket, extract-contract (the deployed Deno function once, the same
// handler in-process for the rest), review, confirm — for each sample contract. A model that
// invents a quote gets an empty field (fake Ollama, real client); another organisation can
// read neither the document nor the extraction.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractExtraction, ExtractContractResponse } from '../../functions-shared/api/index.ts';
import { CONTRACT_FIELD_KEYS, contractObjectPath } from '../../functions-shared/contracts/fields.ts';
import { builtInExtractor, handleExtractContract, ollamaExtractor } from '../../functions-shared/contracts/handler.ts';
import { envFrom, HttpError } from '../../functions-shared/http.ts';
import { rpc } from '../../functions-shared/api/rpc.ts';
import { SAMPLES, type Sample } from '../../local/samples/make-contracts.mjs';
import { startFakeOllama, type FakeOllama } from '../support/fake-ollama.ts';
import { serviceClient, signedInAs, withDb } from '../support/stack.ts';
import { accessToken, functionEnv } from './chat-fixtures.ts';

const samplesDir = path.resolve(__dirname, '..', '..', 'samples', 'contracts');
let csm: SupabaseClient;
let other: SupabaseClient;
let orgId: string;
let fake: FakeOllama;

/** A customer of the csm's organisation with a contract of its own, renewing in `days`. */
async function freshCustomer(name: string, days = 200): Promise<string> {
  return withDb(async (db) => {
    const { rows } = await db.query<{ id: string }>(
      `insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
       select p.org_id, $1, 10000, 70, app.organisation_today(p.org_id) + $2::int, p.id
         from app.profiles p where p.email = 'sam.csm@acme.test' returning id`, [name, days]);
    return rows[0]!.id;
  });
}

async function upload(client: SupabaseClient, customerId: string, file: string): Promise<string> {
  const bytes = readFileSync(path.join(samplesDir, file));
  const objectPath = contractObjectPath(orgId, customerId, file);
  const type = file.endsWith('.pdf') ? 'application/pdf' : 'text/plain';
  const { error } = await client.storage.from('contracts').upload(objectPath, new Blob([bytes], { type }), { upsert: true });
  if (error) throw error;
  return objectPath;
}

async function extractInProcess(client: SupabaseClient, body: Record<string, unknown>, extractor = builtInExtractor) {
  const request = new Request('http://functions.local/extract-contract', {
    method: 'POST',
    headers: { Authorization: `Bearer ${await accessToken(client)}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const response = await handleExtractContract(request, { env: envFrom(functionEnv()), extractor });
  return { status: response.status, body: await response.json() };
}

beforeAll(async () => {
  csm = await signedInAs('csm');
  other = await signedInAs('otherCsm');
  const { data } = await csm.rpc('get_my_profile');
  orgId = data.org_id ?? data.organisation?.id;
  fake = await startFakeOllama();
});
afterAll(() => fake.close());

describe('contract documents: upload, extract, confirm', () => {
  it('the TypeScript field list is the database\'s', async () => {
    const keys = await withDb(async (db) => (await db.query<{ k: string[] }>('select app.contract_field_keys() as k')).rows[0]!.k);
    expect(keys).toEqual([...CONTRACT_FIELD_KEYS]);
  });

  it('extract-contract, deployed in Deno, reads a PDF and stores the proposal without changing the contract', async () => {
    const sample = SAMPLES[0]!;
    const customerId = await freshCustomer('Contract Deno Co');
    const objectPath = await upload(csm, customerId, `${sample.key}.pdf`);
    const { data, error } = await csm.functions.invoke('extract-contract', { body: { customer_id: customerId, object_path: objectPath } });
    expect(error).toBeNull();
    const result = ExtractContractResponse.parse(data);
    expect(result.model).toBe('renubu-patterns-1');
    expect(Object.fromEntries(result.fields.filter((f) => f.value !== null).map((f) => [f.key, f.value])))
      .toEqual(Object.fromEntries(Object.entries(sample.expected).filter(([, v]) => v !== null)));
    const { data: context } = await csm.rpc('get_customer_context', { customer_id: customerId });
    expect(context.data.financials.contract).toBeNull();
  }, 60_000);

  for (const sample of SAMPLES as Sample[]) {
    it(`${sample.key}: upload, extract with citations, confirm every field; the contract and the decision date follow`, async () => {
      const customerId = await freshCustomer(`Contract ${sample.key}`);
      const objectPath = await upload(csm, customerId, `${sample.key}.pdf`);
      const { status, body } = await extractInProcess(csm, { customer_id: customerId, object_path: objectPath });
      expect(status).toBe(200);
      const extraction = ExtractContractResponse.parse(body);

      // The review reads the document's text and finds every quote on its page.
      const { data: full } = await csm.rpc('get_contract_extraction', { extraction_id: extraction.extraction_id });
      const review = ContractExtraction.parse(full);
      for (const field of review.fields.filter((f) => f.value !== null)) {
        expect(review.pages![field.page! - 1]!.replace(/\s+/g, ' ')).toContain(field.quote);
      }

      const decisions = review.fields.filter((f) => f.value !== null).map((f) => ({ key: f.key, value: f.value }));
      const { data: confirmed, error } = await csm.rpc('confirm_contract_fields', { extraction_id: review.id, fields: decisions });
      expect(error).toBeNull();
      expect(confirmed.status).toBe('reviewed');

      const { data: context } = await csm.rpc('get_customer_context', { customer_id: customerId });
      const contract = context.data.financials.contract;
      expect(contract).toMatchObject({
        start_date: sample.expected.start_date,
        end_date: sample.expected.end_date,
        auto_renew: sample.expected.auto_renew,
        currency: sample.expected.currency,
        terms: { term_months: sample.expected.term_months, payment_terms: sample.expected.payment_terms },
      });
      expect(Number(contract.annual_value)).toBe(sample.expected.annual_value);
      const renewal = new Date(`${sample.expected.end_date}T00:00:00Z`);
      renewal.setUTCDate(renewal.getUTCDate() + 1);
      expect(context.customer.renewal_date).toBe(renewal.toISOString().slice(0, 10));
      const notice = sample.expected.notice_period_days as number | null;
      const decision = new Date(renewal);
      if (sample.expected.auto_renew && notice) decision.setUTCDate(decision.getUTCDate() - notice);
      expect(context.customer.decision_date).toBe(decision.toISOString().slice(0, 10));

      // The contract's text is part of the customer's searchable history.
      const { data: hits } = await csm.rpc('search_customer_history', { customer_id: customerId, query: 'renewal' });
      expect((hits as { source_kind: string }[]).some((hit) => hit.source_kind === 'contract')).toBe(true);
    }, 30_000);
  }

  it('a plain-text sample reads the same, and a correction is recorded as one', async () => {
    const sample = SAMPLES[1]!;
    const customerId = await freshCustomer('Contract text Co');
    const objectPath = await upload(csm, customerId, `${sample.key}.txt`);
    const { body } = await extractInProcess(csm, { customer_id: customerId, object_path: objectPath });
    const extraction = ExtractContractResponse.parse(body);
    expect(extraction.fields.find((f) => f.key === 'notice_period_days')).toMatchObject({ value: 90, page: 2 });
    const { data } = await csm.rpc('confirm_contract_fields', {
      extraction_id: extraction.extraction_id,
      fields: [{ key: 'notice_period_days', value: 120 }, { key: 'auto_renew', value: true }, { key: 'currency', reject: true }],
    });
    const byKey = Object.fromEntries((data.fields as { key: string; status: string }[]).map((f) => [f.key, f.status]));
    expect(byKey).toMatchObject({ notice_period_days: 'corrected', auto_renew: 'confirmed', currency: 'rejected', payment_terms: 'proposed' });
    const { data: context } = await csm.rpc('get_customer_context', { customer_id: customerId });
    expect(context.data.financials.contract).toMatchObject({ notice_period_days: 120, auto_renew: true, currency: 'USD' });
  });
});

describe('contract documents: a model cannot put words in a contract', () => {
  it('a quote that is not in the document is discarded and its field stays empty', async () => {
    const sample = SAMPLES[0]!;
    const customerId = await freshCustomer('Contract Fabricated Co');
    const objectPath = await upload(csm, customerId, `${sample.key}.txt`);
    fake.script({
      kind: 'stream',
      chunks: [JSON.stringify({
        fields: [
          { key: 'annual_value', value: 999999, quote: 'The annual subscription fee is USD 999,999.', page: 1, confidence: 0.99 },
          { key: 'notice_period_days', value: 60, quote: 'written notice of non-renewal at least sixty (60) days before the end', page: 1, confidence: 0.9 },
          { key: 'auto_renew', value: false, quote: 'This Agreement does not renew.', page: 1, confidence: 0.95 },
        ],
      })],
    });
    const extractor = ollamaExtractor({ host: fake.url, model: 'llama3.1:8b', timeoutMs: 5_000 });
    const { status, body } = await extractInProcess(csm, { customer_id: customerId, object_path: objectPath }, extractor);
    expect(status).toBe(200);
    const fields = Object.fromEntries(ExtractContractResponse.parse(body).fields.map((f) => [f.key, f]));
    expect(fields.annual_value).toMatchObject({ value: null, quote: null, page: null, quote_discarded: true });
    expect(fields.auto_renew).toMatchObject({ value: null, quote_discarded: true });
    expect(fields.notice_period_days).toMatchObject({ value: 60, page: 1, quote_discarded: false });

    // The model was asked for JSON of the extraction schema, every field, the pages marked.
    const sent = fake.received.at(-1) as unknown as { format: { properties: { fields: unknown } }; messages: { content: string }[] };
    expect(sent.format.properties.fields).toBeTruthy();
    expect(sent.messages[1]!.content).toContain('<<<PAGE 1>>>');
  });

  it('a model that answers garbage is a 502 with a readable message, and nothing is stored', async () => {
    const customerId = await freshCustomer('Contract Garbage Co');
    const objectPath = await upload(csm, customerId, `${SAMPLES[2]!.key}.txt`);
    fake.script({ kind: 'stream', chunks: ['I think the contract says'] });
    const { status, body } = await extractInProcess(csm, { customer_id: customerId, object_path: objectPath },
      ollamaExtractor({ host: fake.url, model: 'llama3.1:8b', timeoutMs: 5_000 }));
    expect(status).toBe(502);
    expect(body.error.message).toMatch(/could not be read/);
    expect((await csm.rpc('list_contract_extractions', { customer_id: customerId })).data).toEqual([]);
  });
});

describe('contract documents: the size of the request that stores them', () => {
  it('a valid text whose characters take 3 bytes each is refused in house words (422), not a 500, and nothing is stored', async () => {
    const customerId = await freshCustomer('Contract Euro Co');
    // ~1.9 M characters (under any character cap), ~5.6 MB in UTF-8: more than the API takes in one request.
    const text = `Master Subscription Agreement. The annual subscription fee is EUR 12,000.\n${'€'.repeat(1_880_000)}`;
    const objectPath = contractObjectPath(orgId, customerId, 'euro.txt');
    const { error } = await csm.storage.from('contracts').upload(objectPath, new Blob([text], { type: 'text/plain' }), { upsert: true });
    expect(error).toBeNull();
    const { status, body } = await extractInProcess(csm, { customer_id: customerId, object_path: objectPath });
    expect(status).toBe(422);
    expect(body.error.code).toBe('unreadable_document');
    expect(body.error.message).toMatch(/more than 3 MB of text; split it into its parts/);
    expect((await csm.rpc('list_contract_extractions', { customer_id: customerId })).data).toEqual([]);
  }, 60_000);

  it('the API refusing the size of a request a function sends (PGRST413) is 413, never a 500', async () => {
    const customerId = await freshCustomer('Contract Oversize Co');
    const refused = await rpc(serviceClient(), 'record_contract_extraction', {
      requested_by: (await csm.rpc('get_my_profile')).data.id,
      customer_id: customerId,
      object_path: `${orgId}/${customerId}/big.txt`,
      model: 'test',
      pages: ['€'.repeat(1_500_000)], // 4.5 MB
      fields: [],
    }).then(() => null, (error: unknown) => error);
    expect(refused).toBeInstanceOf(HttpError);
    expect(refused).toMatchObject({ status: 413, code: 'payload_too_large' });
  });
});

describe('contract documents: another organisation', () => {
  it('cannot read the document, extract it, or see or confirm the extraction', async () => {
    const customerId = await freshCustomer('Contract Private Co');
    const objectPath = await upload(csm, customerId, `${SAMPLES[0]!.key}.pdf`);
    const { body } = await extractInProcess(csm, { customer_id: customerId, object_path: objectPath });
    const extractionId = ExtractContractResponse.parse(body).extraction_id;

    const download = await other.storage.from('contracts').download(objectPath);
    expect(download.error).toMatchObject({ statusCode: '404' });
    const signed = await other.storage.from('contracts').createSignedUrl(objectPath, 60);
    expect(signed.error).toMatchObject({ statusCode: '404' });
    const removed = await other.storage.from('contracts').remove([objectPath]);
    expect(removed.data).toEqual([]);
    const overwrite = await other.storage.from('contracts').upload(objectPath, new Blob(['mine now'], { type: 'text/plain' }), { upsert: true });
    expect(overwrite.error).toMatchObject({ statusCode: '403' });

    const extract = await extractInProcess(other, { customer_id: customerId, object_path: objectPath });
    expect(extract.status).toBe(404);
    expect((await other.rpc('list_contract_extractions', { customer_id: customerId })).error).toMatchObject({ code: 'PT404' });
    expect((await other.rpc('get_contract_extraction', { extraction_id: extractionId })).error).toMatchObject({ code: 'PT404' });
    expect((await other.rpc('confirm_contract_fields', { extraction_id: extractionId, fields: [{ key: 'auto_renew', value: false }] })).error)
      .toMatchObject({ code: 'PT404' });
    // Their own folder named with this customer is refused too.
    const { data: theirs } = await other.rpc('get_my_profile');
    const sneaky = contractObjectPath(theirs.org_id ?? theirs.organisation?.id, customerId, 'x.txt');
    expect((await other.storage.from('contracts').upload(sneaky, new Blob(['x'], { type: 'text/plain' }))).error).toMatchObject({ statusCode: '403' });
  });

  it('a path outside the customer\'s folder is refused before anything is read', async () => {
    const customerId = await freshCustomer('Contract Path Co');
    const { status, body } = await extractInProcess(csm, { customer_id: customerId, object_path: `${orgId}/${customerId}/../x.pdf/y` });
    expect(status).toBe(400);
    expect(body.error.code).toBe('22023');
    const bad = await extractInProcess(csm, { customer_id: 'nope', object_path: 'x' });
    expect(bad.status).toBe(422);
  });
});
