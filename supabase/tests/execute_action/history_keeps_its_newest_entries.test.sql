-- An execution's metadata.history keeps its newest 200 entries: an action on a workflow
-- with a full history drops the oldest entry, so no number of actions grows the row (and
-- every read of the workflow page) without limit. The action log keeps every run.
begin;
select plan(5);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
-- A history already at the limit (as years of actions would leave it).
update app.workflow_executions
   set metadata = metadata || jsonb_build_object('history',
         (select jsonb_agg(jsonb_build_object('event', 'noted', 'n', n) order by n) from generate_series(1, 200) n))
 where id = :'eid';

select tests.authenticate_as('e_csm');
select public.execute_action('snooze', :'eid', '{"reason": "Back after the board meeting", "days": 3}') is not null as snoozed \gset
select tests.clear_authentication();
select metadata -> 'history' as history from app.workflow_executions where id = :'eid' \gset

select is(jsonb_array_length(:'history'::jsonb), 200, 'the history keeps 200 entries');
select is(:'history'::jsonb -> -1 ->> 'reason', 'Back after the board meeting', 'the newest entry is the action just run');
select is((:'history'::jsonb -> 0 ->> 'n')::int, 2, 'the oldest entry went');
select is((:'history'::jsonb -> -2 ->> 'n')::int, 200, 'the rest keep their order');
select is((select count(*)::int from app.action_executions where execution_id = :'eid' and action_key = 'snooze'), 1,
  'the action log has the run');

select * from finish();
rollback;
