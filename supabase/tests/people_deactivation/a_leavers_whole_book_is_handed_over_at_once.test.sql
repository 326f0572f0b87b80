-- A deactivated person's customers and open work go to one colleague in one call
-- (hand_over_work, docs/admin.md "Deactivating someone"): every customer they own, every open
-- workflow and open task they hold, and the one who takes it over is told once, with the
-- counts, not once per item. Before, the Admin → People hand-over sent one request per item,
-- each with its own notification (13 for 13), and the customers stayed the leaver's.
begin;
select plan(12);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, assigned_to)
values (:'org', 'Fabrikam', 40000, 70, :'csm') returning id as cust \gset
insert into app.customers (org_id, name, arr, health_score, assigned_to)
values (:'org', 'Tailspin', 30000, 70, :'csm') returning id as cust2 \gset
insert into app.customers (org_id, name, arr, health_score, assigned_to)
values (:'org', 'Northwind', 30000, 70, :'manager') returning id as managers_cust \gset
select tests.authenticate_as('e_csm');
select (public.create_workflow_execution(:'cust', 'risk-intervention') ->> 'id') as eid \gset
select (public.create_workflow_execution(:'cust2', 'risk-intervention') ->> 'id') as eid2 \gset
select (public.create_workflow_execution(:'managers_cust', 'risk-intervention', :'csm') ->> 'id') as lent \gset
select public.create_task('Call the CFO', :'cust', execution_id => :'eid', due_date => '2031-01-20T17:00:00Z') ->> 'id' as wf_task \gset
select public.create_task('Birthday card', :'cust2', due_date => '2031-01-20T17:00:00Z') ->> 'id' as own_task \gset
select tests.authenticate_as('e_manager');
select public.create_task('Review Northwind', :'managers_cust', due_date => '2031-01-20T17:00:00Z', assigned_to => :'csm') ->> 'id' as given_task \gset
select tests.authenticate_as('e_admin');
select public.update_person(:'csm', '{"active": false}') is not null as deactivated \gset
select tests.clear_authentication();
delete from app.notifications;

select tests.authenticate_as('e_csm2');
select throws_ok(format('select public.hand_over_work(%L, %L, %L)', :'csm', :'csm2', 'Casey left'), '42501', null,
  'a CSM cannot take over someone''s book');
select tests.authenticate_as('e_admin');
select throws_ok(format('select public.hand_over_work(%L, %L, %L)', :'other_csm', :'csm2', 'Casey left'), 'PT404', 'Person not found',
  'another organisation''s person is not found');
select throws_ok(format('select public.hand_over_work(%L, %L, %L)', :'csm', :'csm', 'Casey left'), '22023',
  'assignee_id has been deactivated and cannot take work', 'the work does not go back to the leaver');

select public.hand_over_work(:'csm', :'csm2', 'Casey left', 'key-1') as answer \gset
select is((:'answer'::jsonb) -> 'handed_over', '{"customers": 2, "workflows": 3, "tasks": 3}'::jsonb,
  'the answer counts what moved');
select tests.clear_authentication();
select is((select count(*)::int from app.customers where assigned_to = :'csm2'), 2, 'their customers have the new CSM');
select is((select assigned_to from app.customers where id = :'managers_cust'), :'manager'::uuid, 'a customer of someone else keeps its CSM');
select is((select count(*)::int from app.workflow_executions where assigned_to = :'csm2'), 3,
  'their open workflows move, also one of someone else''s customer');
select is((select count(*)::int from app.workflow_tasks where assigned_to = :'csm2'), 3,
  'their open tasks move: of a workflow, of a customer alone, given by someone else');
select is((select count(*)::int from app.workflow_executions e where e.assigned_to = :'csm' and e.status in ('queued', 'in_progress', 'snoozed', 'escalated'))
          + (select count(*)::int from app.workflow_tasks t where t.assigned_to = :'csm' and t.status in ('pending', 'in_progress', 'snoozed')),
  0, 'nothing open is left with the leaver');
select is((select array_agg(title || ' | ' || body) from app.notifications where user_id = :'csm2'),
  array['Handed to you: E Csm''s work, 2 customers, 3 workflows and 3 tasks | Casey left'],
  'the one taking it over gets one notification for all of it');
select is((select count(*)::int from app.notifications where user_id = :'csm'), 0, 'the leaver, who cannot sign in, is not told');

select tests.authenticate_as('e_admin');
select is(public.hand_over_work(:'csm', :'csm2', 'Casey left', 'key-1'), :'answer'::jsonb,
  'sent again under its key, it answers what it answered');
select tests.clear_authentication();

select * from finish();
rollback;
