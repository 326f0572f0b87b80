-- A workflow's start and reassign keys are the person's who sent them, as every other key is
-- (docs/api-contract.md "Errors": "another person's key is their own"). Before migration
-- 20261215600000 they were unique per organisation: a colleague who had started or reassigned
-- any workflow with a key made the same key PT409 "this key was used for a different request"
-- for everyone else, on their own workflow, and the same key sent by someone else on that
-- workflow was answered as that colleague's replay.
begin;
select plan(10);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select * from tests.create_two_open_renewals(:'org', :'csm', :'today') \gset
-- A third open renewal, the junior CSM's.
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Northwind', 50000, 70, :'today'::date + 3, :'csm2') returning id as cust3 \gset
select app.run_orchestrator_for_org(:'org');
select id as eid3 from app.workflow_executions where customer_id = :'cust3' \gset

-- Start: the junior CSM's key, then the same key from the senior CSM on their own workflow.
select tests.authenticate_as('e_csm2');
select public.start_workflow(:'eid3', idempotency_key => 'shared-key') as started3 \gset
select tests.authenticate_as('e_csm');
select lives_ok(format($$select public.start_workflow(%L, idempotency_key => 'shared-key')$$, :'eid'),
  'a colleague''s start key is no bar to a person''s own start under the same key');
select is((select status from app.workflow_executions where id = :'eid'), 'in_progress', 'which starts their workflow');
select is(public.start_workflow(:'eid', idempotency_key => 'shared-key') ->> 'status', 'in_progress',
  'and the same start again is still their replay');
-- The manager's own key on the junior CSM's workflow, started already: a new request, refused as one.
select tests.authenticate_as('e_manager');
select throws_ok(format($$select public.start_workflow(%L, idempotency_key => 'shared-key')$$, :'eid3'),
  'PT409', null, 'another person''s key on a started workflow is no replay of the colleague''s start');
select tests.authenticate_as('e_csm2');
select is(public.start_workflow(:'eid3', idempotency_key => 'shared-key') ->> 'status', 'in_progress',
  'while the colleague''s own retry is still theirs');

-- Reassign: the manager's key, then the same key from the admin on another workflow.
select tests.authenticate_as('e_manager');
select public.reassign_workflow(:'eid', :'csm2', 'Sam is overloaded', idempotency_key => 'move-key') as moved \gset
select tests.authenticate_as('e_admin');
select lives_ok(format($$select public.reassign_workflow(%L, %L, 'Casey takes Fabrikam', idempotency_key => 'move-key')$$, :'eid2', :'csm2'),
  'a colleague''s reassign key is no bar to a person''s own reassignment under the same key');
select is((select assigned_to from app.workflow_executions where id = :'eid2'), :'csm2'::uuid, 'which reassigns the workflow');
-- The manager's request under the same key, sent by the admin: the admin's own new request,
-- answered as one (the workflow is already Casey's: nothing to do, migration 20261216330000),
-- not as the manager's replay: the key stays the manager's.
select public.reassign_workflow(:'eid', :'csm2', 'Sam is overloaded', idempotency_key => 'move-key') is not null as admins_own \gset
select is((select reassign_request_by from app.workflow_executions where id = :'eid'), :'manager'::uuid,
  'a colleague''s reassignment is no replay for another person: the key stays the manager''s');
select tests.authenticate_as('e_manager');
select is(public.reassign_workflow(:'eid', :'csm2', 'Sam is overloaded', idempotency_key => 'move-key') ->> 'assignee_id', :'csm2',
  'while the manager''s own retry is still their replay');
select tests.clear_authentication();
select is((select count(*)::int from app.workflow_executions x, jsonb_array_elements(x.metadata -> 'history') h
            where x.id in (:'eid', :'eid2') and h ->> 'event' = 'reassigned'), 2, 'each workflow reassigned once');
select * from finish();
rollback;
