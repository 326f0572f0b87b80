-- A manager or admin hands a customer to another CSM (docs/escalation-loop.md "Who may do
-- what", reassign_customer): the customer's CSM changes, its open workflows and their open
-- tasks follow, the change is in the audit log with its reason, and each person is told once
-- (the new CSM: what came, with a link to the customer; the previous one: where it went).
-- CSMs and viewers cannot, another organisation's ids are not found, bad input changes nothing.
-- Before, nothing but a direct write of app.customers changed a customer's CSM.
begin;
select plan(17);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, assigned_to)
values (:'org', 'Fabrikam', 40000, 70, :'csm') returning id as cust \gset
insert into app.customers (org_id, name, arr, health_score, assigned_to)
values (:'other_org', 'Elsewhere', 40000, 70, :'other_csm') returning id as other_cust \gset
select tests.authenticate_as('e_csm');
select (public.create_workflow_execution(:'cust', 'risk-intervention') ->> 'id') as eid \gset
select (public.create_workflow_execution(:'cust', 'expansion-proposal') ->> 'id') as eid2 \gset
select public.create_task('Call the CFO', :'cust', execution_id => :'eid', due_date => '2031-01-20T17:00:00Z') ->> 'id' as task \gset

select throws_ok(format('select public.reassign_customer(%L, %L, %L)', :'cust', :'csm2', 'Mine now'), '42501', null,
  'a CSM cannot hand a customer to someone else');
select tests.authenticate_as('e_viewer');
select throws_ok(format('select public.reassign_customer(%L, %L, %L)', :'cust', :'csm2', 'Mine now'), '42501', null,
  'nor can a viewer');
select tests.authenticate_as('e_manager');
select throws_ok(format('select public.reassign_customer(%L, %L, %L)', :'other_cust', :'csm2', 'Mine now'), 'PT404', 'Customer not found',
  'another organisation''s customer is not found');
select throws_ok(format('select public.reassign_customer(%L, %L, %L)', :'cust', :'other_csm', 'Leave'), '22023',
  'assignee_id must be a member of your organisation', 'another organisation''s person is refused');
select throws_ok(format('select public.reassign_customer(%L, %L, %L)', :'cust', :'viewer', 'Leave'), '22023',
  'assignee_id is a viewer, who cannot take work', 'a viewer cannot take a customer');
select throws_ok(format('select public.reassign_customer(%L, %L, %L)', :'cust', :'csm2', '  '), '22023', null,
  'a reason is required');
select is(public.reassign_customer(:'cust', :'csm', 'Again') -> 'handed_over', '{"customers": 0, "workflows": 0, "tasks": 0}'::jsonb,
  'the same CSM again is nothing to do, answered as done (migration 20261216330000)');
select tests.clear_authentication();
select is((select assigned_to from app.customers where id = :'cust'), :'csm'::uuid, 'refused calls changed nothing');

select tests.authenticate_as('e_manager');
select public.reassign_customer(:'cust', :'csm2', 'Sam is on leave', 'key-1') as answer \gset
select is((:'answer'::jsonb) -> 'handed_over', '{"customers": 1, "workflows": 2, "tasks": 1}'::jsonb, 'the answer counts what moved');
select tests.clear_authentication();
select is((select assigned_to from app.customers where id = :'cust'), :'csm2'::uuid, 'the customer has its new CSM');
select is((select count(*)::int from app.workflow_executions where customer_id = :'cust' and assigned_to = :'csm2'), 2,
  'its open workflows follow');
select is((select assigned_to from app.workflow_tasks where id = :'task'), :'csm2'::uuid, 'and their open task');
select is((select title || ' | ' || body from app.notifications where user_id = :'csm2'),
  'Handed to you: Fabrikam (2 workflows and 1 task) | Sam is on leave',
  'the new CSM gets one notification saying what came');
select is((select title from app.notifications where user_id = :'csm'),
  'Fabrikam was handed to E Csm2 (2 workflows and 1 task)', 'the previous CSM is told once where it went');
select is((select after ->> 'reason' from app.admin_audit_log where entity = 'customer' and entity_id = :'cust' and action = 'reassign'),
  'Sam is on leave', 'the audit log has it with its reason');
select is((select array[before ->> 'name', after ->> 'name'] from app.admin_audit_log where entity = 'customer' and entity_id = :'cust' and action = 'reassign'),
  array['Fabrikam', 'Fabrikam'], '... and the customer by name, which Admin → Audit shows (before, its id)');

select tests.authenticate_as('e_manager');
select is(public.reassign_customer(:'cust', :'csm2', 'Sam is on leave', 'key-1'), :'answer'::jsonb,
  'sent again under its key, it answers what it answered and nothing moves twice');
select tests.clear_authentication();

select * from finish();
rollback;
