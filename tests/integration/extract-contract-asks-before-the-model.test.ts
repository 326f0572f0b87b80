// extract-contract asks the database whether the caller may extract a customer's contract
// (check_contract_extraction: a CSM, manager or admin of its organisation) before it reads the
// document or calls the model. Before, a viewer, who may read the document but not extract it,
// was refused only by record_contract_extraction, after the model had read the whole document:
// every such request cost a model run (an attacker's lever on the model's bill), for a 403.
import type { SupabaseClient } from '@supabase/supabase-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtInExtractor, handleExtractContract, type ContractExtractor } from '../../functions-shared/contracts/handler.ts';
import { envFrom } from '../../functions-shared/http.ts';
import { freshCustomer } from '../support/fresh-work.ts';
import { signedInAs, withDb } from '../support/stack.ts';
import { accessToken, functionEnv } from './chat-fixtures.ts';

/** The built-in model, counting its runs. */
function countingExtractor(): ContractExtractor & { runs: number } {
  const counting = {
    model: builtInExtractor.model,
    runs: 0,
    extract(pages: string[]) {
      counting.runs += 1;
      return builtInExtractor.extract(pages);
    },
  };
  return counting;
}

async function extract(client: SupabaseClient, body: Record<string, unknown>, extractor: ContractExtractor) {
  const request = new Request('http://functions.local/extract-contract', {
    method: 'POST',
    headers: { Authorization: `Bearer ${await accessToken(client)}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const response = await handleExtractContract(request, { env: envFrom(functionEnv()), extractor });
  return { status: response.status, body: (await response.json()) as { extraction_id?: string; error?: { code: string; message: string } } };
}

const extractionsOf = (customerId: string) => withDb(async (db) =>
  (await db.query<{ n: number }>('select count(*)::int as n from app.contract_extractions where customer_id = $1', [customerId])).rows[0]!.n);

let csm: SupabaseClient;
let viewer: SupabaseClient;
let customerId: string;
let objectPath: string;

beforeAll(async () => {
  csm = await signedInAs('csm');
  viewer = await signedInAs('viewer');
  const orgId = ((await csm.rpc('get_my_profile')).data as { org_id: string }).org_id;
  customerId = await freshCustomer('Asks First Co');
  objectPath = `${orgId}/${customerId}/msa.txt`;
  const { error } = await csm.storage.from('contracts')
    .upload(objectPath, new Blob(['Master Services Agreement. This agreement starts on 1 January 2026.'], { type: 'text/plain' }), { upsert: true });
  if (error) throw error;
});

describe('extract-contract asks who may extract before the model runs', () => {
  it('a viewer: 403 42501 in the database\'s words, the model never run, nothing recorded', async () => {
    const extractor = countingExtractor();
    const answer = await extract(viewer, { customer_id: customerId, object_path: objectPath }, extractor);
    expect({ status: answer.status, code: answer.body.error?.code, runs: extractor.runs })
      .toEqual({ status: 403, code: '42501', runs: 0 });
    expect(answer.body.error?.message).toBe('Only a csm, manager or admin of the customer\'s organisation can extract a contract');
    expect(await extractionsOf(customerId)).toBe(0);
  });

  it('a customer the caller cannot see: 404, the model never run', async () => {
    const extractor = countingExtractor();
    const other = await signedInAs('otherCsm');
    const answer = await extract(other, { customer_id: customerId, object_path: objectPath }, extractor);
    expect({ status: answer.status, code: answer.body.error?.code, runs: extractor.runs }).toEqual({ status: 404, code: 'PT404', runs: 0 });
  });

  it('the customer\'s CSM: the model runs once and the extraction is recorded', async () => {
    const extractor = countingExtractor();
    const answer = await extract(csm, { customer_id: customerId, object_path: objectPath }, extractor);
    expect({ status: answer.status, runs: extractor.runs }).toEqual({ status: 200, runs: 1 });
    expect(await extractionsOf(customerId)).toBe(1);
  });
});
