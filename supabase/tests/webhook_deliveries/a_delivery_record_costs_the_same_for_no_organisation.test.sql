-- A delivery's record costs the same whether its organisation exists or not, so the time of
-- the ingest function's 401 does not list organisations (docs/customer-intelligence.md): one
-- to no organisation (org_id null) keeps nothing and raises nothing, and neither kind waits
-- for the write-ahead log to reach the disk at commit (synchronous_commit off for the call's
-- transaction), since a record that is kept would wait for a flush and one that is not would
-- not: the largest difference between the two. A delivery record is a log line, not data a
-- crash must keep.
begin;
select plan(5);
set client_min_messages = warning;
select tests.create_organisation('Delivery Cost Org') as org \gset
select tests.authenticate_as_service_role();
-- As on hosted Supabase and `npm start` (a test cluster may run without it).
set synchronous_commit = on;

select lives_ok($$ select public.record_webhook_delivery(null, 'msg_nowhere', 401, 'bad_signature', 0, 'The webhook signature does not match.') $$,
  'a delivery to no organisation is taken without an error');
select is((select count(*)::int from app.webhook_deliveries where webhook_id = 'msg_nowhere'), 0, 'and kept nowhere');
select is(current_setting('synchronous_commit'), 'off', 'its transaction does not wait for a flush at commit');

set synchronous_commit = on;
select public.record_webhook_delivery(:'org', 'msg_somewhere', 401, 'bad_signature', 0, 'The webhook signature does not match.');
select is((select count(*)::int from app.webhook_deliveries where org_id = :'org' and webhook_id = 'msg_somewhere'), 1, 'one to an organisation is kept');
select is(current_setting('synchronous_commit'), 'off', 'and its transaction does not wait for a flush either');

select * from finish();
rollback;
