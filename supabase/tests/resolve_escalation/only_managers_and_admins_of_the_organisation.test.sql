-- resolve_escalation: managers and admins of the organisation only; bad decisions and
-- missing notes or assignees are 22023; a workflow that is not escalated is PT409.
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
select throws_ok(format('select public.resolve_escalation(%L, %L, %L)', :'eid', 'return', 'Call the CFO'), '42501', null, 'the csm cannot resolve their own escalation');
select tests.authenticate_as('e_csm2');
select throws_ok(format('select public.resolve_escalation(%L, %L, %L)', :'eid', 'return', 'x'), '42501', null, 'another csm may not');
select tests.authenticate_as('e_viewer');
select throws_ok(format('select public.resolve_escalation(%L, %L, %L)', :'eid', 'return', 'x'), '42501', null, 'a viewer may not');
select tests.authenticate_as('o_manager');
select throws_ok(format('select public.resolve_escalation(%L, %L, %L)', :'eid', 'return', 'x'), 'PT404', null, 'another organisation''s manager: not found');
select tests.authenticate_as('e_manager');
select throws_ok(format('select public.resolve_escalation(%L, %L, %L)', :'eid', 'ignore', 'x'), '22023', null, 'an unknown decision');
select throws_ok(format('select public.resolve_escalation(%L, %L, %L)', :'eid', 'return', ' '), '22023', null, 'a note is required');
select throws_ok(format('select public.resolve_escalation(%L, %L, %L)', :'eid', 'reassign', 'x'), '22023', null, 'reassign needs an assignee');
select throws_ok(format('select public.resolve_escalation(%L, %L, %L, %L)', :'eid', 'reassign', 'x', :'viewer'), '22023', null, 'not to a viewer');
select throws_ok(format('select public.resolve_escalation(%L, %L, %L, %L)', :'eid', 'reassign', 'x', :'other_csm'), '22023', null, 'not to another organisation''s csm');
select throws_ok(format('select public.resolve_escalation(%L, %L, %L, %L)', :'eid', 'return', 'x', :'csm2'), '22023', null, 'an assignee only with reassign');
select tests.authenticate_as('e_admin');
select is(public.resolve_escalation(:'eid', 'return', 'Offer the multi-year discount') ->> 'escalation_status', 'returned', 'an admin may decide');
select throws_ok(format('select public.resolve_escalation(%L, %L, %L)', :'eid', 'close', 'x'), 'PT409', null, 'a decided escalation is not decided twice');

select * from finish();
rollback;
