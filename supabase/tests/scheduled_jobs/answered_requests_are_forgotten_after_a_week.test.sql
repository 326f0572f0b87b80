-- The answers kept under idempotency keys are forgotten after a week by a daily pg_cron job
-- (migration 20261208190000): nothing keeps them for ever, and a key the web app may still
-- replay (24 hours) is kept.
begin;
select plan(6);
set client_min_messages = warning;

select is((select j.schedule from cron.job j where j.jobname = 'forget-answered-requests'), '27 3 * * *',
  'the job runs daily');
select is((select j.command from cron.job j where j.jobname = 'forget-answered-requests'),
  'select app.forget_answered_requests()', 'and calls app.forget_answered_requests()');

select * from tests.create_engine_world() \gset
insert into app.answered_requests (org_id, made_by, request_key, request, answer, created_at) values
  (:'org', :'csm', 'pressed-8-days-ago', '{"call": "wake_workflow"}', '{"status": "queued"}', now() - interval '8 days'),
  (:'org', :'csm', 'pressed-6-days-ago', '{"call": "wake_workflow"}', '{"status": "queued"}', now() - interval '6 days'),
  (:'org', :'csm', 'pressed-an-hour-ago', '{"call": "wake_workflow"}', '{"status": "queued"}', now() - interval '1 hour');

select is(app.forget_answered_requests(), 1, 'one answer older than a week is forgotten');
select is((select array_agg(request_key order by request_key) from app.answered_requests where made_by = :'csm'),
  array['pressed-6-days-ago', 'pressed-an-hour-ago'], 'the answers of the last week are kept');

select tests.authenticate_as('e_csm');
select throws_ok($$select app.forget_answered_requests()$$, '42501', null, 'a person cannot run it');
select tests.clear_authentication();
select is((select count(*)::int from app.answered_requests where made_by = :'csm'), 2, 'nothing more was removed');
select * from finish();
rollback;
