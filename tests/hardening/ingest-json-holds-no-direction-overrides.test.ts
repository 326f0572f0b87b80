// The ingest function's schema refuses a sender's own JSON (a customer's metadata, an
// engagement event's, a contract's terms, a usage snapshot's metrics) holding a control
// character or a text-direction override in a key or a text, at any depth, naming where it is
// (422 before the database is asked; the database's check constraints refuse the same, migration
// 20261216700000). Before, {"Risk<U+202E>gnp.exe": "high"} was applied and handed to MCP agents
// as "Riskexe.png: high". A refused key is named by the object holding it, never quoted back.
import { describe, expect, it } from 'vitest';
import { ingestEvent } from '../../functions-shared/api/ingest.ts';

const REFUSAL = 'must not contain control characters or text-direction overrides';

function issues(event: unknown) {
  const parsed = ingestEvent.safeParse(event);
  return parsed.success ? [] : parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

describe('ingest: a sender\'s JSON holds no direction override', () => {
  it('a key of a customer\'s metadata, named by its object, not quoted', () => {
    expect(issues({ type: 'customer.upserted', data: { external_id: 'crm-1', metadata: { 'Risk\u202egnp.exe': 'high' } } }))
      .toEqual([{ path: 'data.metadata', message: `a key ${REFUSAL}` }]);
  });
  it('a text at any depth of an engagement event\'s metadata, a name as one line', () => {
    expect(issues({ type: 'engagement.event', data: { customer_external_id: 'crm-1', event_type: 'call', occurred_at: '2026-12-01T09:00:00Z',
      metadata: { owner: { name: 'Ann\tLee' }, notes: ['fine', 'x\u2066y'] } } }))
      .toEqual([{ path: 'data.metadata.owner.name', message: REFUSAL }, { path: 'data.metadata.notes.1', message: REFUSAL }]);
  });
  it('a contract\'s terms and a snapshot\'s metrics', () => {
    expect(issues({ type: 'contract.upserted', data: { external_id: 'k-1', customer_external_id: 'crm-1', terms: { tier: 'gold\u202e' } } }))
      .toEqual([{ path: 'data.terms.tier', message: REFUSAL }]);
    expect(issues({ type: 'usage.snapshot', data: { customer_external_id: 'crm-1', recorded_at: '2026-12-01T09:00:00Z', metrics: { 'x\u0007': 1 } } }))
      .toEqual([{ path: 'data.metrics', message: `a key ${REFUSAL}` }]);
  });
  it('Hebrew keys, numbers and a note of several lines are taken', () => {
    expect(issues({ type: 'customer.upserted', data: { external_id: 'crm-1', metadata: { 'אזור': 'צפון', seats: 40, note: 'line one\n\tline two' } } }))
      .toEqual([]);
  });
});
