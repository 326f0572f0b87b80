-- Rule 4: opportunity_score >= 70 opens one opportunity-identification; 69 does not.
begin;
select plan(2);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, opportunity_score, assigned_to) values (:'org', 'Growing', 70, :'csm'), (:'org', 'Nearly', 69, :'csm');
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select is((select count(*)::int from app.workflow_executions e join app.workflows w on w.id = e.workflow_id join app.customers c on c.id = e.customer_id
            where c.name = 'Growing' and w.key = 'opportunity-identification'), 1, 'score 70: one opportunity identification');
select is((select count(*)::int from app.workflow_executions e join app.customers c on c.id = e.customer_id where c.name = 'Nearly'), 0, 'score 69: none');

select * from finish();
rollback;
