-- A manager reassigns several workflows in one call (reassign_workflows, the queue's bulk
-- Reassign; docs/escalation-loop.md "Who may do what"): each is checked as reassign_workflow
-- checks it, those it refuses are listed with why and change nothing, and each person
-- concerned is told once — the new assignee of everything that came, each previous one of what
-- went — not once per workflow and task. Sent again under its key it answers the same.
-- Before, the queue sent one reassign_workflow per workflow: five workflows, five notices to
-- the new assignee (and one per open task) and five to the previous one.
begin;
select plan(18);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, assigned_to)
values (:'org', 'Fabrikam', 40000, 70, :'csm') returning id as cust \gset
insert into app.customers (org_id, name, arr, health_score, assigned_to)
values (:'org', 'Tailspin', 30000, 70, :'csm') returning id as cust2 \gset
insert into app.customers (org_id, name, arr, health_score, assigned_to)
values (:'other_org', 'Elsewhere', 30000, 70, :'other_csm') returning id as other_cust \gset
select tests.authenticate_as('e_csm');
select (public.create_workflow_execution(:'cust', 'risk-intervention') ->> 'id') as e1 \gset
select (public.create_workflow_execution(:'cust2', 'risk-intervention') ->> 'id') as e2 \gset
select (public.create_workflow_execution(:'cust2', 'expansion-proposal') ->> 'id') as closed \gset
select public.create_task('Call the CFO', :'cust', execution_id => :'e1', due_date => '2031-01-20T17:00:00Z') is not null as t \gset
select public.cancel_workflow(:'closed', 'Not now') is not null as c \gset
select tests.authenticate_as('e_csm2');
select (public.create_workflow_execution(:'cust', 'expansion-proposal') ->> 'id') as theirs \gset
select tests.clear_authentication();
select (select id from app.workflow_executions where org_id = :'other_org' limit 1) is null as none \gset
insert into app.workflow_executions (org_id, customer_id, workflow_id, workflow_version_id, assigned_to)
select :'other_org', :'other_cust', e.workflow_id, e.workflow_version_id, :'other_csm' from app.workflow_executions e where e.id = :'e1'
returning id as elsewhere \gset
delete from app.notifications;

select tests.authenticate_as('e_csm');
select throws_ok(format('select public.reassign_workflows(jsonb_build_array(%L), %L, %L)', :'e1', :'csm2', 'Mine'), '42501', null,
  'a CSM cannot reassign');
select tests.authenticate_as('e_manager');
select throws_ok(format('select public.reassign_workflows(%L, %L, %L)', '[]', :'csm2', 'x'), '22023', null, 'no workflow named: 22023');
select throws_ok(format('select public.reassign_workflows(%L, %L, %L)', '[["x"]]', :'csm2', 'x'), '22023', null, 'a list of lists: 22023');
select throws_ok(format('select public.reassign_workflows(jsonb_build_array(%L), %L, %L)', :'e1', :'viewer', 'x'), '22023', null,
  'a viewer cannot take them');
select throws_ok(format('select public.reassign_workflows(jsonb_build_array(%L), %L, %L)', :'e1', :'csm2', ' '), '22023', null,
  'a reason is required');

select public.reassign_workflows(jsonb_build_array(:'e1', :'e2', :'closed', :'theirs', :'elsewhere'), :'csm2', 'Sam is on leave', 'key-1') as answer \gset
select is((select array_agg(x ->> 'id' order by x ->> 'id') from jsonb_array_elements(:'answer'::jsonb -> 'reassigned') x),
          (select array_agg(i order by i) from unnest(array[:'e1', :'e2']) i), 'the open workflows are reassigned');
select is((select jsonb_object_agg(x ->> 'execution_id', x ->> 'code') from jsonb_array_elements(:'answer'::jsonb -> 'refused') x),
          jsonb_build_object(:'closed', 'PT409', :'elsewhere', 'PT404'),
          'the others are listed with why: closed, not found');
-- One the person holds already is left as it is and named apart, not refused: in a bulk call,
-- handing a workflow to its holder is nothing to do (before, a 22023 'assignee_id is already
-- the assignee of this workflow' among the refusals, shown to the manager as an error).
select is(:'answer'::jsonb -> 'already_theirs', jsonb_build_array(:'theirs'), 'the one Casey holds already is named apart');
select is((select count(*)::int from app.workflow_executions where id = :'theirs' and assigned_to = :'csm2'
             and not (metadata::text like '%Sam is on leave%')), 1, 'and left as it was');
select is((:'answer'::jsonb) -> 'handed_over', '{"workflows": 2, "tasks": 1}'::jsonb, 'the answer counts what came');
select tests.clear_authentication();
select is((select count(*)::int from app.workflow_executions where id in (:'e1', :'e2') and assigned_to = :'csm2'), 2, 'both are Casey''s');
select is((select assigned_to from app.workflow_tasks where execution_id = :'e1'), :'csm2'::uuid, 'their open task follows');
select is((select status from app.workflow_executions where id = :'closed'), 'cancelled', 'a refused one is unchanged');
select is((select array_agg(title || ' | ' || body) from app.notifications where user_id = :'csm2'),
  array['Handed to you: 2 workflows and 1 task | Sam is on leave'], 'the new assignee is told once, of all of it');
select is((select array_agg(title) from app.notifications where user_id = :'csm'),
  array['2 workflows and 1 task handed to E Csm2'], 'the previous one once, of what went');

select tests.authenticate_as('e_manager');
select is(public.reassign_workflows(jsonb_build_array(:'e1', :'e2', :'closed', :'theirs', :'elsewhere'), :'csm2', 'Sam is on leave', 'key-1'),
          :'answer'::jsonb, 'sent again under its key: the same answer');
select is(public.reassign_workflows(jsonb_build_array(:'e1', :'theirs'), :'csm2', 'Again', 'key-2') -> 'refused', '[]'::jsonb,
  'all of them Casey''s already: nothing refused');
select tests.clear_authentication();
select is((select count(*)::int from app.notifications), 2, 'and nobody is told again');

select * from finish();
rollback;
