-- A switched-off workflow is opened neither by hand nor by the orchestrator; switched
-- back on, it is again; other organisations are not affected; the switch is audited.
begin;
select plan(9);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, risk_score, assigned_to) values (:'org', 'Risky Co', 90000, 30, 80, :'csm') returning id as cust \gset
insert into app.customers (org_id, name, arr, health_score, risk_score, assigned_to) values (:'other_org', 'Their Risky Co', 90000, 30, 80, :'other_csm') returning id as their_cust \gset

select tests.authenticate_as('e_admin');
select is(public.set_workflow_enabled('risk-assessment', false) ->> 'enabled', 'false', 'switched off');
select is(public.set_workflow_enabled('risk-intervention', false) ->> 'enabled', 'false', 'switched off');
select throws_ok(format('select public.set_workflow_enabled(%L, false)', 'no-such-flow'), 'PT404', null, 'an unknown key is not found');

select tests.authenticate_as('e_csm');
select throws_ok(format('select public.create_workflow_execution(%L, %L)', :'cust', 'risk-intervention'), '22023', null, 'a switched-off workflow cannot be opened by hand');
select is((select x ->> 'enabled' from jsonb_array_elements(public.list_workflow_definitions()) x where x ->> 'key' = 'risk-assessment'), 'false', 'members see it is off');

select tests.clear_authentication();
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select app.run_orchestrator_for_org(:'other_org') is not null as ran2 \gset
select is((select count(*) from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
            where e.customer_id = :'cust' and w.key = 'risk-assessment'), 0::bigint, 'the orchestrator opens no risk assessment');
select is((select count(*) from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
            where e.customer_id = :'their_cust' and w.key = 'risk-assessment'), 1::bigint, 'another organisation still gets its own');

select tests.authenticate_as('e_admin');
select public.set_workflow_enabled('risk-assessment', true) is not null as back_on \gset
select tests.clear_authentication();
select app.run_orchestrator_for_org(:'org') is not null as ran3 \gset
select is((select count(*) from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
            where e.customer_id = :'cust' and w.key = 'risk-assessment'), 1::bigint, 'switched back on, it is opened');
select is((select array_agg(l.action order by l.id) from app.admin_audit_log l where l.org_id = :'org' and l.entity = 'workflow_definition'),
          array['disable', 'disable', 'enable'], 'each switch is audited');
select * from finish();
rollback;
