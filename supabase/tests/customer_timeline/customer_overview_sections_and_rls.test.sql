-- get_customer_overview: open workflows first then past ones, artifacts, contracts with the
-- notice deadline, health history; another organisation gets PT404, a viewer reads it.
begin;
select plan(11);
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Globex', 80000, 70, :'today'::date + 200, :'csm') returning id as cust \gset
insert into app.contracts (org_id, customer_id, start_date, end_date, auto_renew, notice_period_days)
values (:'org', :'cust', :'today'::date - 165, :'today'::date + 200, true, 60);
insert into app.workflows (org_id, key, name, workflow_type, base_score) values (:'org', 'ov-flow', 'Overview flow', 'custom', 50) returning id as wf \gset
insert into app.workflow_versions (workflow_id, org_id, version, config) values (:'wf', :'org', 1, '{"steps": [{"key": "a", "title": "A"}]}') returning id as wv \gset
insert into app.workflow_executions (org_id, customer_id, workflow_id, workflow_version_id, assigned_to, total_steps, status, started_at, completed_at)
values (:'org', :'cust', :'wf', :'wv', :'csm', 1, 'completed', now() - interval '5 days', now() - interval '4 days') returning id as past \gset
insert into app.workflow_executions (org_id, customer_id, workflow_id, workflow_version_id, assigned_to, total_steps)
values (:'org', :'cust', :'wf', :'wv', :'csm', 1) returning id as open \gset
insert into app.workflow_task_artifacts (org_id, execution_id, artifact_type, title, content)
values (:'org', :'past', 'email_draft', 'Renewal note', '{}');
update app.customers set health_score = 55 where id = :'cust';
insert into app.workflow_tasks (org_id, customer_id, title, assigned_to, status, due_date) values
  (:'org', :'cust', 'Call the CFO', :'csm2', 'pending', now() + interval '2 days'),
  (:'org', :'cust', 'Old one', :'csm', 'completed', now());

select tests.authenticate_as('e_viewer');
select is((select array_agg(i ->> 'execution_id' order by o) from jsonb_array_elements(public.get_customer_overview(:'cust') -> 'workflows') with ordinality x(i, o)),
  array[:'open', :'past'], 'open workflows first, then past ones');
select is(public.get_customer_overview(:'cust') -> 'workflows' -> 0 ->> 'lane' is not null, true, 'an open workflow carries its lane');
select is(public.get_customer_overview(:'cust') -> 'artifacts' -> 0 ->> 'title', 'Renewal note', 'artifacts of the customer''s workflows');
select is(public.get_customer_overview(:'cust') -> 'contracts' -> 0 ->> 'notice_deadline', (:'today'::date + 140)::text, 'the contract''s notice deadline');
select is(public.get_customer_overview(:'cust') -> 'customer' ->> 'decision_date', (:'today'::date + 140)::text, 'the customer''s decision date');
select ok(jsonb_array_length(public.get_customer_overview(:'cust') -> 'health_history') >= 1, 'health history for the chart');
select is((select array_agg(i ->> 'title') from jsonb_array_elements(public.get_customer_overview(:'cust') -> 'tasks') i), array['Call the CFO'],
  'the customer''s open tasks, whoever holds them');
select is(public.get_customer_overview(:'cust') -> 'tasks' -> 0 -> 'assignee' ->> 'id', :'csm2', 'with the assignee');
select ok(jsonb_array_length(public.get_customer_overview(:'cust') -> 'startable_workflows') >= 1, 'and the manual workflows that can be started');
select tests.authenticate_as('o_manager');
select throws_ok(format($$ select public.get_customer_overview(%L) $$, :'cust'), 'PT404', 'Customer not found', 'another organisation gets not found');
select tests.authenticate_as_anon();
select throws_ok(format($$ select public.get_customer_overview(%L) $$, :'cust'), '42501', null, 'anon may not call it');

select * from finish();
rollback;
