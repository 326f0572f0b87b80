-- workflow_escalations: members read their organisation's escalations; whoever may work on
-- a workflow opens one (as themselves); its assignee, managers and admins settle it;
-- another csm, a viewer and another organisation change nothing; nobody deletes one.
begin;
select plan(12);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select tests.authenticate_as('e_csm');
select public.execute_action('escalate', :'eid', '{"reason": "Budget frozen"}') is not null as esc \gset

select tests.authenticate_as('o_manager');
select is((select count(*)::int from app.workflow_escalations), 0, 'another organisation reads none');
select is_empty($$ update app.workflow_escalations set reason = 'x' returning 1 $$, 'another organisation updates none');

select tests.authenticate_as('e_viewer');
select is((select count(*)::int from app.workflow_escalations), 1, 'a viewer reads them');
select throws_ok(format($$ insert into app.workflow_escalations (org_id, execution_id, reason, escalated_by, from_status) values (%L, %L, 'x', %L, 'queued') $$, :'org', :'eid', :'viewer'),
  '42501', null, 'a viewer opens none');
select is_empty($$ update app.workflow_escalations set reason = 'x' returning 1 $$, 'a viewer updates none');

select tests.authenticate_as('e_csm2');
select throws_ok(format($$ insert into app.workflow_escalations (org_id, execution_id, reason, escalated_by, from_status) values (%L, %L, 'x', %L, 'queued') $$, :'org', :'eid', :'csm2'),
  '42501', null, 'another csm opens none on a workflow that is not theirs');
select is_empty($$ update app.workflow_escalations set reason = 'x' returning 1 $$, 'another csm updates none');

select tests.authenticate_as('e_csm');
select throws_ok(format($$ insert into app.workflow_escalations (org_id, execution_id, reason, escalated_by, from_status) values (%L, %L, 'x', %L, 'queued') $$, :'org', :'eid', :'manager'),
  '42501', null, 'nobody opens one in someone else''s name');
select isnt_empty($$ update app.workflow_escalations set reason = reason returning 1 $$, 'its assignee may settle it');
select throws_ok($$ delete from app.workflow_escalations $$, '42501', null, 'nobody deletes an escalation');

select tests.authenticate_as('e_manager');
select isnt_empty($$ update app.workflow_escalations set reason = reason returning 1 $$, 'a manager may settle it');
select throws_ok($$ delete from app.workflow_escalations $$, '42501', null, 'not even a manager deletes one');

select * from finish();
rollback;
