-- A proposal's params are within the limits its action will apply when it runs
-- (app.action_limits, migration 20261206340000): a snooze of 300 days, an escalation to a
-- level the organisation does not offer, a meeting of 50 minutes, a task priority the
-- action does not offer and a skip reason not in its list are each refused when proposed,
-- 22023 naming the param and the values allowed; nothing is stored or notified. The same
-- actions within their limits are proposed, and execute_action holds a run to the same
-- limits.
begin;
select plan(14);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset

-- The organisation narrows two actions: escalations go to a manager only, tasks are medium or high.
select tests.authenticate_as('e_admin');
select public.save_saved_action('escalate', '{"levels": ["manager"], "default_level": "manager"}') is not null as saved \gset
select public.save_saved_action('create_task', '{"priorities": ["medium", "high"], "default_priority": "medium"}') is not null as saved \gset

select tests.authenticate_as('e_csm');
select throws_ok(format($$ select public.propose_action('snooze', 'later', '{"days": 300, "reason": "back soon"}', %L) $$, :'eid'),
                 '22023', 'params.days must be between 1 and 30', 'a snooze of 300 days is refused when proposed');
select throws_ok(format($$ select public.propose_action('escalate', 'help', '{"level": "vp_cs", "reason": "at risk"}', %L) $$, :'eid'),
                 '22023', 'params.level must be one of: manager', 'an escalation to a level the organisation does not offer');
select throws_ok(format($$ select public.propose_action('schedule_meeting', 'meet', '{"scheduled_at": "2030-01-01T10:00:00Z", "duration_minutes": 50}', %L) $$, :'eid'),
                 '22023', 'params.duration_minutes must be one of: 15, 30, 45, 60', 'a meeting of 50 minutes');
select throws_ok(format($$ select public.propose_action('create_task', 'follow up', '{"due_date": "2030-01-01", "priority": "urgent"}', %L) $$, :'eid'),
                 '22023', 'params.priority must be one of: medium, high', 'a task priority the action does not offer');
select throws_ok(format($$ select public.propose_action('skip', 'not needed', '{"reason": "Because"}', %L) $$, :'eid'),
                 '22023', 'params.reason must be one of: Not applicable, Already completed, Customer requested skip, Internal decision, Other',
                 'and a skip reason not in its list');
select tests.clear_authentication();
select is((select count(*)::int from app.action_proposals where execution_id = :'eid'), 0, 'no proposal was stored');
select is((select count(*)::int from app.notifications where org_id = :'org' and notification_type = 'proposal'), 0, 'and nobody was notified');

-- The assistant's own proposals (service role, for the person) are held to the same limits.
select tests.authenticate_as_service_role();
select throws_ok(format($$ select public.propose_action('snooze', 'later', '{"days": 31}', %L, source => 'brief', author_id => %L) $$, :'eid', :'csm'),
                 '22023', 'params.days must be between 1 and 30', 'a proposal of the daily brief too');

select tests.authenticate_as('e_csm');
select lives_ok(format($$ select public.propose_action('snooze', 'later', '{"days": 30, "reason": "back soon"}', %L) $$, :'eid'),
                'a snooze of 30 days is proposed');
select lives_ok(format($$ select public.propose_action('escalate', 'help', '{"level": "manager", "reason": "at risk"}', %L) $$, :'eid'),
                'an escalation to a manager');
select lives_ok(format($$ select public.propose_action('schedule_meeting', 'meet', '{"scheduled_at": "2030-01-01T10:00:00Z", "duration_minutes": 45}', %L) $$, :'eid'),
                'a meeting of 45 minutes');
select lives_ok(format($$ select public.propose_action('create_task', 'follow up', '{"due_date": "2030-01-01", "priority": "high"}', %L) $$, :'eid'),
                'a task of high priority');
select lives_ok(format($$ select public.propose_action('skip', 'not needed', '{"reason": "Other"}', %L) $$, :'eid'),
                'and a skip for another reason');

select throws_ok(format($$ select public.execute_action('escalate', %L, '{"level": "vp_cs", "reason": "at risk"}') $$, :'eid'),
                 '22023', 'level must be one of: manager', 'running the action holds it to the same levels');

select * from finish();
rollback;
