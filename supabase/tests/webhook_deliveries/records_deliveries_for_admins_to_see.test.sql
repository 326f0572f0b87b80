-- Deliveries are recorded by the ingest function only (service role); admins see the last
-- ones newest first with the organisation's ingest path; the newest 200 accepted ones are
-- kept, and rejected (unauthenticated) ones are kept apart, their newest 50, so they never
-- evict accepted history; others see nothing.
begin;
select plan(11);
set client_min_messages = warning;
select tests.create_organisation('Deliveries Org') as org \gset
select slug from app.organisations where id = :'org' \gset
select tests.create_member('de_admin', :'org', 'admin') as admin \gset
select tests.create_member('de_csm', :'org', 'csm') as csm \gset
select tests.create_organisation('Deliveries Other') as other_org \gset
select tests.create_member('de_other_admin', :'other_org', 'admin') as other_admin \gset

select ok(not has_function_privilege('authenticated', 'public.record_webhook_delivery(uuid, text, integer, text, integer, text)', 'execute'),
          'signed-in people cannot record deliveries');
select tests.authenticate_as_service_role();
select public.record_webhook_delivery(:'org', 'msg_' || n, 200, 'applied', 3) from generate_series(1, 205) n;
select is((select count(*)::int from app.webhook_deliveries where org_id = :'org'), 200, 'only the newest 200 are kept');
select public.record_webhook_delivery(:'org', 'noise_' || n, 401, case when n % 2 = 0 then 'bad_signature' else 'stale_timestamp' end, 0, 'noise')
  from generate_series(1, 300) n;
select public.record_webhook_delivery(:'org', 'msg_bad', 401, 'bad_signature', 0, 'The webhook signature does not match.');
select is((select count(*)::int from app.webhook_deliveries where org_id = :'org' and outcome = 'applied'), 200,
  'rejected deliveries evict no accepted one');
select is((select count(*)::int from app.webhook_deliveries where org_id = :'org' and outcome in ('bad_signature', 'stale_timestamp')), 50,
  'rejected deliveries keep their own newest 50');
select ok(exists (select 1 from app.webhook_deliveries where org_id = :'org' and webhook_id = 'msg_205'), 'the newest accepted one is still there');

select tests.authenticate_as('de_admin');
select public.get_integrations_overview() as overview \gset
select is(:'overview'::jsonb ->> 'ingest_path', '/functions/v1/ingest/' || :'slug', 'the organisation''s ingest path');
select is(jsonb_array_length(:'overview'::jsonb -> 'deliveries'), 50, 'the last 50 deliveries');
select is(((:'overview'::jsonb -> 'deliveries' -> 0) - 'id') - 'received_at',
          '{"status": 401, "outcome": "bad_signature", "webhook_id": "msg_bad", "event_count": 0, "message": "The webhook signature does not match."}'::jsonb,
          'newest first, with status, outcome and message');

select tests.authenticate_as('de_csm');
select throws_ok('select public.get_integrations_overview()', '42501', null, 'a csm is refused');
select is_empty($$ select 1 from app.webhook_deliveries $$, 'and reads no delivery directly');

select tests.authenticate_as('de_other_admin');
select is(public.get_integrations_overview() -> 'deliveries', '[]'::jsonb, 'another organisation''s admin sees none of ours');

select * from finish();
rollback;
