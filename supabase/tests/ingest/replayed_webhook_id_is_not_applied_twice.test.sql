-- A webhook id already applied is acknowledged with the first answer (replayed: true) when
-- the body is the same and nothing is applied again; the same id with another body is a
-- conflict (PT409), nothing applied; an id claimed before bodies were hashed keeps
-- replaying; another organisation may use the same id.
begin;
select plan(8);
select tests.create_rls_world();
select tests.authenticate_as_service_role();

select is(public.ingest_apply_batch(tests.org_id('Org A'), 'msg-1',
  '[{"type": "engagement.event", "data": {"customer_external_id": "A-1", "event_type": "note", "occurred_at": "2026-01-01T00:00:00Z"}}]'::jsonb) ->> 'replayed',
  'false', 'the first delivery is applied');
select is(public.ingest_apply_batch(tests.org_id('Org A'), 'msg-1',
  '[{"type": "engagement.event", "data": {"customer_external_id": "A-1", "event_type": "note", "occurred_at": "2026-01-01T00:00:00Z"}}]'::jsonb) ->> 'replayed',
  'true', 'the same id again is acknowledged as a replay');
select is(public.ingest_apply_batch(tests.org_id('Org A'), 'msg-1',
  '[{"data": {"occurred_at": "2026-01-01T00:00:00Z", "event_type": "note", "customer_external_id": "A-1"}, "type": "engagement.event"}]'::jsonb) #>> '{applied,engagement_events}',
  '1', 'with what the first delivery applied (the same events in another key order)');
select throws_ok($$select public.ingest_apply_batch(tests.org_id('Org A'), 'msg-1',
  '[{"type": "arr.changed", "data": {"customer_external_id": "A-1", "arr": 1}}]'::jsonb)$$,
  'PT409', 'webhook-id msg-1 was already used for a different body', 'the same id with another body is a conflict');
select isnt((select arr from app.customers where external_id = 'A-1'), 1::numeric, 'and its events are not applied');
-- Claimed before the hash was kept: a replay, whatever the body.
update app.processed_webhooks set body_hash = null where webhook_id = 'msg-1' and org_id = tests.org_id('Org A');
select is(public.ingest_apply_batch(tests.org_id('Org A'), 'msg-1',
  '[{"type": "arr.changed", "data": {"customer_external_id": "A-1", "arr": 1}}]'::jsonb) ->> 'replayed',
  'true', 'an id claimed without a hash keeps replaying');
select is(public.ingest_apply_batch(tests.org_id('Org B'), 'msg-1',
  '[{"type": "engagement.event", "data": {"customer_external_id": "B-1", "event_type": "note", "occurred_at": "2026-01-01T00:00:00Z"}}]'::jsonb) ->> 'replayed',
  'false', 'webhook ids are per organisation');

select tests.clear_authentication();
select is((select count(*)::int from app.engagement_events e join app.customers c on c.id = e.customer_id where c.external_id = 'A-1' and e.event_type = 'note'),
  1, 'the event was stored once');

select * from finish();
rollback;
