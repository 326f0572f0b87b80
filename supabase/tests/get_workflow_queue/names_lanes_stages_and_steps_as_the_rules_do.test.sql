-- The queue's page writes out the lane's and the stage's names and reads step titles from
-- the version config (app.queue_page_json, for speed): they must agree with the rules'
-- own definitions — app.queue_lane_name, app.calculate_renewal_stage and the step rows —
-- at every stage boundary, for queued and started executions.
begin;
select plan(5);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset

-- One customer on each side of every stage boundary, and one without a renewal date.
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
select :'org', 'Boundary ' || d, 100000, 70, :'today'::date + d, :'csm'
  from unnest(array[-30, -1, 0, 6, 7, 13, 14, 29, 30, 59, 60, 89, 90, 119, 120, 179, 180, 400]) d;
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'No renewal date', 100000, 70, null, :'csm');
-- Every customer gets one open execution of the first workflow (queued), whatever its stage.
insert into app.workflow_executions (org_id, customer_id, workflow_id, workflow_version_id, assigned_to, status)
select :'org', c.id, w.id, v.id, :'csm', 'queued'
  from app.customers c
  cross join lateral (select w.id from app.workflows w where w.org_id is null order by w.key limit 1) w
  join app.workflow_versions v on v.workflow_id = w.id
 where c.org_id = :'org' and (c.name like 'Boundary %' or c.name = 'No renewal date')
   and not exists (select 1 from app.workflow_executions x where x.customer_id = c.id and x.status in ('queued', 'in_progress', 'snoozed', 'escalated'));
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
-- Start a few, so some current steps come from step rows.
select tests.authenticate_as('e_csm');
select count(public.start_workflow(e.id)) > 0 as started
  from (select e.id from app.workflow_executions e
         where e.assigned_to = :'csm' and e.status = 'queued' order by e.id limit 5) e \gset
select set_config('test.page', public.get_workflow_queue(200)::text, true) is not null as read \gset
select tests.clear_authentication();

create temp table items as
select i as item from jsonb_array_elements(current_setting('test.page')::jsonb -> 'items') i;

select ok((select count(distinct item -> 'customer' ->> 'renewal_stage') from items) >= 9,
          'the page covers every stage (and customers without one)');
select is((select count(*)::integer from items i
            join app.customers c on c.id = (i.item -> 'customer' ->> 'id')::uuid
           where (i.item -> 'customer' ->> 'renewal_stage') is distinct from app.calculate_renewal_stage(c.decision_date, :'today'::date)),
          0, 'every item''s stage is app.calculate_renewal_stage of its decision date');
select is((select count(*)::integer from items i
            join app.workflow_executions e on e.id = (i.item ->> 'execution_id')::uuid
           where i.item ->> 'lane' is distinct from app.queue_lane_name(e.queue_lane)),
          0, 'every item''s lane is app.queue_lane_name of its lane');
select ok((select count(*) from items i
            join app.workflow_step_executions s on s.execution_id = (i.item ->> 'execution_id')::uuid
                                                and s.step_key = i.item -> 'current_step' ->> 'key') >= 1,
          'some items are started, with step rows');
select is((select count(*)::integer from items i
            join app.workflow_step_executions s on s.execution_id = (i.item ->> 'execution_id')::uuid
                                                and s.step_key = i.item -> 'current_step' ->> 'key'
           where s.title is distinct from i.item -> 'current_step' ->> 'title'),
          0, 'a started item''s step title is its step row''s');

select * from finish();
rollback;
