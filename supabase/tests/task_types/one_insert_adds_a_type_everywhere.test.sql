-- Task types and priorities are defined once (app.task_types, app.task_priorities): a
-- type added there is accepted by create_task, execute_action's create_task, list_tasks'
-- filter and the saved-action config check, offered to the assistant and listed for the
-- web app; a value not there is refused everywhere, with the known keys in the hint.
begin;
select plan(16);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Lookup Co', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset

-- Not known yet: refused by every writer and reader.
select tests.authenticate_as('e_csm');
select throws_ok(format('select public.create_task(%L, %L, task_type => %L)', 'x', :'cust', 'site_visit'), '22023', 'task_type is not a known task type', 'create_task refuses an unknown type');
select throws_ok(format('select public.list_tasks(filters => %L)', '{"task_types": ["site_visit"]}'), '22023', null, 'list_tasks refuses an unknown type filter');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'create_task', :'eid', '{"due_date": "2030-01-01", "task_type": "site_visit"}'), '22023', null, 'execute_action refuses an unknown type');
select tests.clear_authentication();
select is(app.saved_action_config_problems('create_task', '{"due_date_required": true, "default_priority": "medium", "priorities": ["medium"], "default_task_type": "site_visit"}'),
  array['config.default_task_type must be a task type'], 'the config check refuses an unknown default type');
select ok(not (app.assistant_tools() @> '[{"function": {"name": "create_task", "parameters": {"properties": {"task_type": {"enum": ["site_visit"]}}}}}]'), 'the assistant is not offered it');

-- One insert adds it everywhere.
insert into app.task_types (key, label, sort) values ('site_visit', 'Site visit', 115);
insert into app.task_priorities (key, label, sort) values ('critical', 'Critical', 5);
select tests.authenticate_as('e_csm');
select is(public.create_task('Visit', :'cust', task_type => 'site_visit', priority => 'critical') ->> 'task_type', 'site_visit', 'create_task accepts the new type');
select is((select array_agg(i ->> 'title') from jsonb_array_elements(public.list_tasks(filters => '{"task_types": ["site_visit"]}') -> 'items') i), array['Visit'], 'list_tasks filters by it');
select is((public.list_tasks(sort => 'priority') -> 'items' -> 0 ->> 'title'), 'Visit', 'the new most urgent priority sorts first');
select public.execute_action('create_task', :'eid', '{"due_date": "2030-01-01", "task_type": "site_visit"}') -> 'result' ->> 'task_id' as action_task \gset
select is((select t.task_type from app.workflow_tasks t where t.id = :'action_task'), 'site_visit', 'execute_action accepts it');
select ok(public.list_task_options() -> 'task_types' @> '[{"key": "site_visit", "label": "Site visit"}]', 'list_task_options lists it with its label');
select is(public.list_task_options() -> 'priorities' -> -1 ->> 'key', 'critical', 'priorities are listed least urgent first');
select tests.clear_authentication();
select is(app.saved_action_config_problems('create_task', '{"due_date_required": true, "default_priority": "critical", "priorities": ["medium", "critical"], "default_task_type": "site_visit"}'),
  '{}'::text[], 'the config check accepts it');
select ok(app.assistant_tools() @> '[{"function": {"name": "create_task", "parameters": {"properties": {"task_type": {"enum": ["site_visit"]}, "priority": {"enum": ["critical"]}}}}}]', 'the assistant is offered it');

-- The hint names what is known; the table's own guard is the named foreign key.
select tests.authenticate_as('e_csm');
create function pg_temp.hint_of(statement text) returns text language plpgsql as $$
declare h text;
begin
  execute statement;
  return null;
exception when others then
  get stacked diagnostics h = pg_exception_hint;
  return h;
end $$;
select ok(pg_temp.hint_of(format('select public.create_task(%L, %L, task_type => %L)', 'x', :'cust', 'dance')) like 'Use one of: review_contract, %, site_visit.', 'the hint lists the known types');
select throws_ok(format('select public.update_task(%L, %L)', (select id from app.workflow_tasks where title = 'Visit'), '{"priority": "asap"}'), '22023', 'changes.priority must be one of: low, medium, high, urgent, critical', 'update_task names the known priorities');
select tests.clear_authentication();
select is(tests.violation(format($$ update app.workflow_tasks set task_type = 'dance' where title = 'Visit' and customer_id = %L $$, :'cust')), '23503 workflow_tasks_type_is_known', 'a direct write is refused by the named foreign key');

select * from finish();
rollback;
