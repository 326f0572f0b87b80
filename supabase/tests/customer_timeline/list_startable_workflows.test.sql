-- list_startable_workflows: the organisation's manual workflows for a customer, with the
-- open one's id; another organisation's customer is not found.
begin;
select plan(4);
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, assigned_to) values (:'org', 'Globex', :'csm') returning id as cust \gset
select tests.authenticate_as('e_csm');
select ok(jsonb_array_length(public.list_startable_workflows(:'cust')) >= 1, 'the catalogue''s manual workflows are offered');
select ok((select bool_and(w.trigger_config ->> 'kind' = 'manual') from jsonb_array_elements(public.list_startable_workflows(:'cust')) i
             join app.effective_workflows(:'org') w on w.key = i ->> 'key'), 'only manual ones');
select public.create_workflow_execution(:'cust', (public.list_startable_workflows(:'cust') -> 0 ->> 'key'));
select ok(public.list_startable_workflows(:'cust') -> 0 ->> 'open_execution_id' is not null, 'an open one is named');
select tests.authenticate_as('o_csm');
select throws_ok(format($$ select public.list_startable_workflows(%L) $$, :'cust'), 'PT404', 'Customer not found', 'another organisation gets not found');
select * from finish();
rollback;
