// A name an Edge Function's body carries is blank by the database's rule, not by
// JavaScript's trim(): invite-person's full_name and an ingest event's customer or
// stakeholder name of a zero-width space, a Hangul filler or a blank Braille pattern are
// refused by the function's schema (422), as an empty one is. Before, they passed it and
// only the database refused them (invite-person answered 400 where '' is 422).
import { describe, expect, it } from 'vitest';
import { HttpError, parseJsonBody } from '../../functions-shared/http.ts';
import { InvitePersonBody } from '../../functions-shared/api/functions.ts';
import { ingestEvent } from '../../functions-shared/api/ingest.ts';

const BLANKS = ['\u200b', '\u3164', ' \u2800 '];

describe('function bodies refuse blank names', () => {
  for (const blank of BLANKS) {
    it(`invite-person: a full_name of ${JSON.stringify(blank)} is 422`, async () => {
      const body = { email: 'new@acme.test', full_name: blank, role: 'csm' };
      const refused = await parseJsonBody(new Request('http://f/x', { method: 'POST', body: JSON.stringify(body) }), InvitePersonBody)
        .then(() => null, (error: unknown) => error);
      expect(refused).toBeInstanceOf(HttpError);
      expect((refused as HttpError).status).toBe(422);
      expect(JSON.stringify((refused as HttpError).details)).toContain('full_name is required');
    });
    it(`ingest: a customer or stakeholder named ${JSON.stringify(blank)} is refused`, () => {
      expect(ingestEvent.safeParse({ type: 'customer.upserted', data: { external_id: 'crm-1', name: blank } }).success).toBe(false);
      expect(ingestEvent.safeParse({ type: 'stakeholder.upserted', data: { customer_external_id: 'crm-1', external_id: 'sh-1', name: blank } }).success).toBe(false);
    });
  }
  it('a name with something in it is taken', async () => {
    const body = { email: 'new@acme.test', full_name: ' Dana Scully\u200b', role: 'csm' };
    await expect(parseJsonBody(new Request('http://f/x', { method: 'POST', body: JSON.stringify(body) }), InvitePersonBody)).resolves.toBeTruthy();
    expect(ingestEvent.safeParse({ type: 'customer.upserted', data: { external_id: 'crm-1', name: 'Initech' } }).success).toBe(true);
  });
});
