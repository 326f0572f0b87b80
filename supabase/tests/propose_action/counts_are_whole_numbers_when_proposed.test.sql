-- A proposal's counts are whole numbers written as one, as running the action requires:
-- {"days": 7.0} or a meeting of 30.0 minutes is refused when proposed (22023 naming the
-- param), not on the CSM's Approve; nothing is stored or notified. 7 and 30 are proposed
-- (migration 20261206218000).
begin;
select plan(6);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset

select tests.authenticate_as('e_csm');
select throws_ok(format($$ select public.propose_action('snooze', 'later', '{"days": 7.0, "reason": "back soon"}', %L) $$, :'eid'),
                 '22023', 'params.days must be a whole number', 'a snooze of 7.0 days is refused when proposed');
select throws_ok(format($$ select public.propose_action('snooze', 'later', '{"days": "7", "reason": "back soon"}', %L) $$, :'eid'),
                 '22023', 'params.days must be a whole number', 'as is "7" as text');
select throws_ok(format($$ select public.propose_action('schedule_meeting', 'meet', '{"scheduled_at": "2030-01-01T10:00:00Z", "duration_minutes": 30.0}', %L) $$, :'eid'),
                 '22023', 'params.duration_minutes must be a whole number', 'and a meeting of 30.0 minutes');
select tests.clear_authentication();
select is((select count(*)::int from app.action_proposals where execution_id = :'eid'), 0, 'no proposal was stored');

select tests.authenticate_as('e_csm');
select lives_ok(format($$ select public.propose_action('snooze', 'later', '{"days": 7, "reason": "back soon"}', %L) $$, :'eid'),
                'a snooze of 7 days is proposed');
select lives_ok(format($$ select public.propose_action('schedule_meeting', 'meet', '{"scheduled_at": "2030-01-01T10:00:00Z", "duration_minutes": 30}', %L) $$, :'eid'),
                'and a meeting of 30 minutes');

select * from finish();
rollback;
