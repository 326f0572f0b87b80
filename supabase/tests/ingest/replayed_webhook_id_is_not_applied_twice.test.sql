-- A webhook id already applied is acknowledged with the first answer (replayed: true) and
-- nothing is applied again, even when the body differs; another organisation may use the
-- same id.
begin;
select plan(5);
select tests.create_rls_world();
select tests.authenticate_as_service_role();

select is(public.ingest_apply_batch(tests.org_id('Org A'), 'msg-1',
  '[{"type": "engagement.event", "data": {"customer_external_id": "A-1", "event_type": "note", "occurred_at": "2026-01-01T00:00:00Z"}}]'::jsonb) ->> 'replayed',
  'false', 'the first delivery is applied');
select is(public.ingest_apply_batch(tests.org_id('Org A'), 'msg-1',
  '[{"type": "engagement.event", "data": {"customer_external_id": "A-1", "event_type": "note", "occurred_at": "2026-01-01T00:00:00Z"}}]'::jsonb) ->> 'replayed',
  'true', 'the same id again is acknowledged as a replay');
select is(public.ingest_apply_batch(tests.org_id('Org A'), 'msg-1',
  '[{"type": "arr.changed", "data": {"customer_external_id": "A-1", "arr": 1}}]'::jsonb) #>> '{applied,engagement_events}',
  '1', 'with what the first delivery applied');
select is(public.ingest_apply_batch(tests.org_id('Org B'), 'msg-1',
  '[{"type": "engagement.event", "data": {"customer_external_id": "B-1", "event_type": "note", "occurred_at": "2026-01-01T00:00:00Z"}}]'::jsonb) ->> 'replayed',
  'false', 'webhook ids are per organisation');

select tests.clear_authentication();
select is((select count(*)::int from app.engagement_events e join app.customers c on c.id = e.customer_id where c.external_id = 'A-1' and e.event_type = 'note'),
  1, 'the event was stored once');

select * from finish();
rollback;
