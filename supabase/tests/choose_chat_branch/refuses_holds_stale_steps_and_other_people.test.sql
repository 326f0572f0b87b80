-- Who may not follow a branch, and when: other organisations (PT404), viewers and other
-- CSMs (42501), an escalated workflow (a hold, PT409, complete_step too), a step that is
-- not the current one (PT409), chat branches and unknown branches (22023).
begin;
select plan(10);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select tests.authenticate_as('e_csm');
select public.start_workflow(:'eid') is not null as started \gset

select throws_ok(format('select public.choose_chat_branch(%L, %L, %L)', :'eid', 'remove-blockers', 'escalate'), 'PT409', null, 'a step that is not current');
select throws_ok(format('select public.choose_chat_branch(%L, %L, %L)', :'eid', 'check-signature-path', 'find-blockers'), '22023', null, 'an llm branch opens a chat');
select throws_ok(format('select public.choose_chat_branch(%L, %L, %L)', :'eid', 'check-signature-path', 'nope'), '22023', null, 'an unknown branch');

select tests.authenticate_as('e_viewer');
select throws_ok(format('select public.choose_chat_branch(%L, %L, %L)', :'eid', 'check-signature-path', 'on-track'), '42501', null, 'a viewer');
select tests.authenticate_as('e_csm2');
select throws_ok(format('select public.choose_chat_branch(%L, %L, %L)', :'eid', 'check-signature-path', 'on-track'), '42501', null, 'another CSM');
select tests.authenticate_as('o_manager');
select throws_ok(format('select public.choose_chat_branch(%L, %L, %L)', :'eid', 'check-signature-path', 'on-track'), 'PT404', null, 'another organisation');

select tests.authenticate_as('e_csm');
select public.execute_action('escalate', :'eid', '{"reason": "Budget frozen"}') is not null as escalated \gset
select throws_ok(format('select public.choose_chat_branch(%L, %L, %L)', :'eid', 'check-signature-path', 'on-track'), 'PT409', null, 'escalated is a hold for branches');
select throws_ok(format('select public.complete_step(%L, %L)', :'eid', 'check-signature-path'), 'PT409', null, 'escalated is a hold for complete_step');
select tests.clear_authentication();
select is((select status from app.workflow_step_executions where execution_id = :'eid' and step_key = 'check-signature-path'),
  'in_progress', 'the step did not move');
select is((select count(*)::int from app.workflow_step_executions where execution_id = :'eid' and status in ('completed', 'skipped')),
  0, 'nothing was completed or skipped');

select * from finish();
rollback;
