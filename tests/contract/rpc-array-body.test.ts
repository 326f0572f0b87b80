// A JSON array sent as the body of POST /rest/v1/rpc/<fn>, as PostgREST answers it
// (docs/supabase-protocol.md §2.2): its keys are those of its objects, which must all have the
// same ones, else 400 PGRST102 "All object keys must match" and nothing runs
// [PGRST Payload.hs `payloadAttributes`]; the function is called once, with the first object's
// values (json_to_recordset(body) … LIMIT 1) [PGRST QueryBuilder.hs `callPlanToQuery`,
// SqlFragment.hs `fromJsonBodyF`]; an empty array, and any JSON that is neither an array nor an
// object, is a call without arguments. Before, the stand-in took the first object whatever the
// others held, and refused a scalar body that PostgREST calls the function without.
import { describe, expect, it } from 'vitest';
import { useContractStack } from './harness.ts';

const stack = useContractStack();
const note = () => `note-${Math.random().toString(36).slice(2)}`;
const writesOf = async (text: string) =>
  (await stack.sql<{ n: number }>('select count(*)::int as n from contract.writes where note = $1', [text]))[0]?.n;
const post = (fn: string, body: string) => fetch(`${stack.url}/rest/v1/rpc/${fn}`, {
  method: 'POST', headers: { apikey: stack.anonKey, 'Content-Type': 'application/json' }, body,
});

describe('rpc: a JSON array as the body', () => {
  it('calls the function once, with the first object, when every object has the same keys', async () => {
    const [first, second] = [note(), note()];
    const response = await post('contract_touch', JSON.stringify([{ note: first }, { note: second }]));
    expect(response.status).toBe(204);
    expect([await writesOf(first), await writesOf(second)]).toEqual([1, 0]);
    const added = await post('contract_add', JSON.stringify([{ a: 2, b: 3 }, { b: 10, a: 20 }]));
    expect(await added.json()).toBe(5);
  });

  it('refuses objects with other keys, or anything but objects, with 400 PGRST102 and runs nothing', async () => {
    const text = note();
    for (const body of [
      [{ note: text }, { note: text, extra: 1 }],
      [{ note: text }, { other: text }],
      [{ note: text }, 5],
      [{ note: text }, null],
      ['a note'],
      [[{ note: text }]],
    ]) {
      const response = await post('contract_touch', JSON.stringify(body));
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(await response.json()).toEqual({ code: 'PGRST102', message: 'All object keys must match', details: null, hint: null });
    }
    expect(await writesOf(text)).toBe(0);
  });

  it('calls the function without arguments for an empty array, or a body that is no array or object', async () => {
    for (const body of ['[]', '5', '"Ada"', 'true', 'null']) {
      const response = await post('contract_whoami', body);
      expect(response.status, body).toBe(200);
    }
    const missing = await post('contract_touch', '"a note"');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'PGRST202', message: 'Could not find the function public.contract_touch without parameters in the schema cache' });
  });
});
