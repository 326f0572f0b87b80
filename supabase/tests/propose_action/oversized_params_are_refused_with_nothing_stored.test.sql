-- A proposal's params are an action's arguments: a few fields. An agent (with a person's
-- token) or the assistant cannot store megabytes of params in a proposal (and in the
-- assignee's notification list): 22023, and no proposal or notification is written.
begin;
select plan(5);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset

select tests.authenticate_as('e_csm');
select throws_ok(format($$ select public.propose_action('snooze', 'later', jsonb_build_object('reason', repeat('x', 1000000)), %L) $$, :'eid'),
                 '22023', 'params must be at most 16 kB of JSON', 'a megabyte of params is refused');
select throws_ok(format($$ select public.propose_action('schedule_meeting', 'later', (select jsonb_build_object('scheduled_at', '2030-01-01T10:00:00Z', 'attendees', jsonb_agg(g || '@contoso.example')) from generate_series(1, 100000) g), %L) $$, :'eid'),
                 '22023', 'params must be at most 16 kB of JSON', 'so is a hundred-thousand-element array');
select tests.authenticate_as_service_role();
select throws_ok(format($$ select public.propose_action('snooze', 'later', jsonb_build_object('reason', repeat('x', 1000000)), %L, null, null, %L, 'brief') $$, :'eid', :'csm'),
                 '22023', 'params must be at most 16 kB of JSON', 'the assistant''s own proposals too');
select tests.clear_authentication();
select is((select count(*)::int from app.action_proposals where execution_id = :'eid'), 0, 'no proposal was stored');
select is((select count(*)::int from app.notifications where notification_type = 'proposal' and data ->> 'execution_id' = :'eid'), 0, 'and nobody was notified');

select * from finish();
rollback;
