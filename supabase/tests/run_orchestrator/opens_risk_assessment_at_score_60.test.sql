-- Rule 3: risk_score >= 60 opens one risk-assessment; 59 does not.
begin;
select plan(2);
set client_min_messages = warning;
select tests.create_organisation('Engine Org') as org \gset
select tests.create_member('e_admin', :'org', 'admin', 'expert') as admin \gset
select tests.create_member('e_manager', :'org', 'manager', 'senior') as manager \gset
select tests.create_member('e_csm', :'org', 'csm', 'senior') as csm \gset
select tests.create_member('e_csm2', :'org', 'csm', 'junior') as csm2 \gset
select tests.create_member('e_viewer', :'org', 'viewer') as viewer \gset
update app.profiles set manager_id = :'manager' where id in (:'csm', :'csm2');
select tests.create_organisation('Other Org') as other_org \gset
select tests.create_member('o_manager', :'other_org', 'manager') as other_manager \gset
select tests.create_member('o_csm', :'other_org', 'csm') as other_csm \gset
select app.organisation_today(:'org') as today \gset
insert into app.customers (org_id, name, risk_score, assigned_to) values (:'org', 'Risky', 60, :'csm'), (:'org', 'Almost', 59, :'csm');
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select is((select count(*)::int from app.workflow_executions e join app.workflows w on w.id = e.workflow_id join app.customers c on c.id = e.customer_id
            where c.name = 'Risky' and w.key = 'risk-assessment' and e.status = 'queued'), 1, 'score 60: one open risk assessment');
select is((select count(*)::int from app.workflow_executions e join app.customers c on c.id = e.customer_id where c.name = 'Almost'), 0, 'score 59: none');

select * from finish();
rollback;
