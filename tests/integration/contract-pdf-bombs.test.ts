// A contract PDF whose page decompresses to far more than any contract holds is refused by
// the deployed extract-contract function with 422 unreadable_document, before pdf.js reads
// it, and the function goes on answering. Before, pdf.js decompressed the page whole: this
// 80 MB one was read (slowly), and one of 8.5 GB in a 9 MB upload took the worker to 17 GB
// until it was killed: a 500, and the machine out of memory (tests/unit/pdf-cost.test.ts has
// the rule's cases; this one is small enough to run anywhere).
import { deflateSync } from 'node:zlib';
import type { SupabaseClient } from '@supabase/supabase-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { contractObjectPath } from '../../functions-shared/contracts/fields.ts';
import { signedInAs } from '../support/stack.ts';
import { freshCustomer } from '../support/fresh-work.ts';
import { onePagePdf } from '../support/one-page-pdf.ts';

let csm: SupabaseClient;
let orgId: string;
let customerId: string;

/** A one-page PDF whose page is `megabytes` of spaces and a sentence, deflated. */
function deflatedPagePdf(megabytes: number): Uint8Array<ArrayBuffer> {
  const content = deflateSync(Buffer.concat([Buffer.alloc(megabytes * 1024 * 1024, 0x20),
    Buffer.from('BT /F1 12 Tf 72 712 Td (This Agreement renews automatically.) Tj ET')]), { level: 9 });
  return onePagePdf(content, { filter: '/FlateDecode' });
}

async function uploadAndExtract(name: string, bytes: Uint8Array<ArrayBuffer>) {
  const objectPath = contractObjectPath(orgId, customerId, name);
  const { error } = await csm.storage.from('contracts').upload(objectPath, new Blob([bytes], { type: 'application/pdf' }), { upsert: true });
  if (error) throw error;
  return csm.functions.invoke('extract-contract', { body: { customer_id: customerId, object_path: objectPath } });
}

beforeAll(async () => {
  csm = await signedInAs('csm');
  const { data } = await csm.rpc('get_my_profile');
  orgId = (data as { org_id: string }).org_id;
  customerId = await freshCustomer('Deflate Bomb Co');
});

describe('extract-contract: a PDF that decompresses to more than a contract holds', () => {
  it('is refused with 422 unreadable_document in words, and the function still reads the next document', async () => {
    const bomb = deflatedPagePdf(80);
    expect(bomb.byteLength).toBeLessThan(200_000);
    const refused = await uploadAndExtract('deflated.pdf', bomb);
    expect(refused.data).toBeNull();
    const response = (refused.error as { context?: Response }).context!;
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      error: { code: 'unreadable_document', message: expect.stringMatching(/decompresses to more than 64 MB.*Save it again as PDF/) },
    });

    const read = await uploadAndExtract('ordinary.pdf', deflatedPagePdf(0));
    expect(read.error).toBeNull();
    expect(read.data).toMatchObject({ fields: expect.any(Array) });
  });
});
