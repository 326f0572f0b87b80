-- Snoozing a workflow that is already snoozed says until when as people read a time, in the
-- organisation's time zone ("until 14 Dec 2026, 06:02"), never the database's
-- "2026-12-14 01:03:55.09106+00" (the queue's bulk Snooze showed it; migration 20261208300300).
begin;
select plan(1);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
update app.organisation_settings set time_zone = 'Asia/Karachi' where org_id = :'org';
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select tests.authenticate_as('e_csm');
select public.execute_action('snooze', :'eid', '{"days": 3, "reason": "waiting on legal"}') as x \gset
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'snooze', :'eid', '{"days": 2, "reason": "again"}'), 'PT409',
  format('This workflow is already snoozed until %s', to_char((now() + interval '3 days') at time zone 'Asia/Karachi', 'FMDD Mon YYYY, HH24:MI')),
  'until when, in words and the organisation''s time');

select * from finish();
rollback;
