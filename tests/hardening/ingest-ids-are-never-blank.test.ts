// The ingest function's schema refuses an event whose id (external_id,
// customer_external_id) is blank by the database's rule: a zero-width space, a tab with a
// no-break space or a blank Braille pattern, as it refuses an empty one (422 before the
// database is asked; app.ingest_check_events refuses the same, migration 20261206258000).
// Before, JavaScript's trim() kept them and the event was applied.
import { describe, expect, it } from 'vitest';
import { ingestEvent } from '../../functions-shared/api/ingest.ts';

describe('ingest: a blank id is refused by the function\'s schema', () => {
  for (const blank of ['\u200b', '\t\u00a0', '\u2800', '']) {
    it(`customer.upserted with external_id ${JSON.stringify(blank)}`, () => {
      expect(ingestEvent.safeParse({ type: 'customer.upserted', data: { external_id: blank, name: 'Zero Co' } }).success).toBe(false);
    });
    it(`stakeholder.upserted with customer_external_id ${JSON.stringify(blank)}`, () => {
      expect(ingestEvent.safeParse({ type: 'stakeholder.upserted', data: { customer_external_id: blank, external_id: 'sh-1', name: 'Dana' } }).success).toBe(false);
    });
  }
  it('an id with something in it is taken', () => {
    expect(ingestEvent.safeParse({ type: 'customer.upserted', data: { external_id: 'crm-1', name: 'Initech' } }).success).toBe(true);
  });
});
