-- Overriding a core renewal definition does not make the orchestrator close or duplicate
-- open work of it: the open execution keeps its version; customers reaching that stage
-- afterwards get the organisation's version.
begin;
select plan(6);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid, e.workflow_version_id as old_version from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset

select tests.authenticate_as('e_admin');
select public.get_workflow_definition('emergency') as def \gset
select public.save_workflow_definition('emergency',
  jsonb_set(:'def'::jsonb -> 'definition', '{steps,0,title}', '"Who signs, and when?"'), (:'def'::jsonb ->> 'version')::int) is not null as saved \gset

select tests.clear_authentication();
select app.run_orchestrator_for_org(:'org') as second \gset
select is((:'second'::jsonb ->> 'created')::int, 0, 'the orchestrator opens no second emergency for the customer');
select is((:'second'::jsonb ->> 'superseded')::int, 0, 'and closes nothing');
select is((select status || ' ' || (workflow_version_id = :'old_version')::text from app.workflow_executions where id = :'eid'),
          'queued true', 'the open execution keeps its version');

insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Fabrikam', 120000, 70, :'today'::date + 4, :'csm') returning id as cust2 \gset
select app.run_orchestrator_for_org(:'org') is not null as ran3 \gset
select is((select v.config -> 'steps' -> 0 ->> 'title' from app.workflow_executions e join app.workflow_versions v on v.id = e.workflow_version_id
            join app.workflows w on w.id = e.workflow_id where e.customer_id = :'cust2' and w.key = 'emergency'), 'Who signs, and when?', 'a customer reaching the stage later gets the organisation''s version');
select is((select count(*) from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
            where e.customer_id = :'cust2' and w.key = 'emergency' and app.is_open_status(e.status)), 1::bigint, 'exactly one');
select is((select count(*) from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
            where e.org_id = :'other_org'), 0::bigint, 'another organisation is untouched');
select * from finish();
rollback;
