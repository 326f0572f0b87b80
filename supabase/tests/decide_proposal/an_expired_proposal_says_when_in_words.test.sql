-- An expired proposal's refusal says the day it expired as people read it, in the
-- organisation's time zone ('This proposal expired on 2 Dec 2026'), never the ISO date in
-- UTC (migration 20261208900000).
begin;
select plan(2);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
-- A zone ahead of UTC, so the day differs from the UTC one late in the UTC evening.
update app.organisation_settings set time_zone = 'Pacific/Kiritimati' where org_id = :'org';
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
update app.workflow_executions set status = 'in_progress' where id = :'eid';
insert into app.action_proposals (org_id, execution_id, action_key, params, rationale, source, source_ref, proposed_for, expires_at)
values (:'org', :'eid', 'snooze', '{"days": 4, "reason": "Old"}', 'Old idea', 'agent', 'test-agent', :'csm',
        '2026-12-01 22:30:00+00')
returning id as old \gset

select tests.authenticate_as('e_csm');
select throws_ok(format('select public.decide_proposal(%L, true)', :'old'), 'PT409',
  'This proposal expired on 2 Dec 2026', 'the day it expired, in words and in the organisation''s time zone (UTC+14)');
select throws_ok(format('select public.decide_proposal(%L, false)', :'old'), 'PT409',
  'This proposal expired on 2 Dec 2026', 'a rejection is told the same');
select * from finish();
rollback;
