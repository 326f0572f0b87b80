-- list_escalations: managers and admins see their organisation's escalations (open,
-- resolved, all) with customer, assignee, reason and age; csms and viewers may not;
-- another organisation's manager sees none of them.
begin;
select plan(11);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select e.id as other from app.workflow_executions e where e.customer_id = :'cust' and e.id <> :'eid' limit 1 \gset
select tests.authenticate_as('e_csm');
select public.execute_action('escalate', :'eid', '{"reason": "Budget frozen"}') is not null as e1 \gset
select public.execute_action('escalate', :'other', '{"reason": "Champion left"}') is not null as e2 \gset
select throws_ok('select public.list_escalations()', '42501', null, 'a csm may not');
select tests.authenticate_as('e_viewer');
select throws_ok('select public.list_escalations()', '42501', null, 'a viewer may not');
select tests.authenticate_as('o_manager');
select is(jsonb_array_length(public.list_escalations('all')), 0, 'another organisation sees none');
select tests.authenticate_as('e_manager');
select throws_ok('select public.list_escalations(''later'')', '22023', null, 'an unknown status');
select public.list_escalations() as open_list \gset
select is(jsonb_array_length(:'open_list'::jsonb), 2, 'two open');
select is(:'open_list'::jsonb -> 0 -> 'customer' ->> 'name', 'Contoso', 'with the customer');
select is(:'open_list'::jsonb -> 0 -> 'assignee' ->> 'id', :'csm', 'the assignee');
select ok((:'open_list'::jsonb -> 0 ->> 'reason') in ('Budget frozen', 'Champion left') and (:'open_list'::jsonb -> 0 ? 'age_hours'), 'the reason and age');
select ok((:'open_list'::jsonb -> 0 ->> 'is_mine')::boolean, 'escalated to this manager');
select public.resolve_escalation(:'eid', 'return', 'Ask for a smaller scope') is not null as r \gset
select is(jsonb_array_length(public.list_escalations()), 1, 'one left open');
select is(public.list_escalations('resolved') -> 0 -> 'resolution' ->> 'note', 'Ask for a smaller scope', 'the resolved one with its decision');

select * from finish();
rollback;
