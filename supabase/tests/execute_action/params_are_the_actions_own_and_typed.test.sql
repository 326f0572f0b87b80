-- An action takes the parameters its kind defines, each of its type: a misspelt key
-- (`assignee` for assigned_to) is refused naming it and listing the ones the action takes,
-- text sent as an object or a number is refused, not stored as its JSON text, a date must
-- be ISO 8601; nothing is written. A proposal is held to the same rule, and a custom action
-- still takes any params.
begin;
select plan(16);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select id as manager_id from app.profiles where email like 'e_manager%' \gset
insert into app.saved_actions (org_id, key, name, action_type, config)
values (:'org', 'crm_sync', 'Sync to CRM', 'custom', '{}') returning id as custom_id \gset

select tests.authenticate_as('e_csm');
select throws_ok(format($$ select public.execute_action('create_task', %L, jsonb_build_object('due_date', %L, 'assignee', %L)) $$,
                        :'eid', (:'today'::date + 7)::text, :'manager_id'),
  '22023', 'params.assignee is not a parameter of the create task action', 'a misspelt key is refused, named');
select is((select count(*)::int from app.workflow_tasks where execution_id = :'eid' and task_type = 'follow_up'), 0, '... and no task is created');
select is((select count(*)::int from app.action_executions where execution_id = :'eid'), 0, '... nor a log row');
select throws_ok(format($$ select public.execute_action('snooze', %L, '{"days": 3, "reason": "later", "evil": "x"}') $$, :'eid'),
  '22023', 'params.evil is not a parameter of the snooze action', 'every kind of action');
select throws_ok(format($$ select public.execute_action('create_task', %L, jsonb_build_object('due_date', %L, 'title', '{"x": [1, 2]}'::jsonb)) $$,
                        :'eid', (:'today'::date + 7)::text),
  '22023', 'params.title must be text', 'a title sent as an object is refused, not stored as JSON text');
select throws_ok(format($$ select public.execute_action('snooze', %L, '{"days": 3, "reason": {"a": 1}}') $$, :'eid'),
  '22023', 'params.reason must be text', 'so is a reason');
select throws_ok(format($$ select public.execute_action('create_task', %L, '{"due_date": 20261220}') $$, :'eid'),
  '22023', 'params.due_date must be text', 'a date sent as a number');
select throws_ok(format($$ select public.execute_action('create_task', %L, '{"due_date": "tomorrow"}') $$, :'eid'),
  '22023', 'due_date must be a date and time (ISO 8601)', '"tomorrow" is not ISO 8601');
select throws_ok(format($$ select public.execute_action('schedule_meeting', %L, '{"duration_minutes": 30, "scheduled_at": "2026-12-20 J"}') $$, :'eid'),
  '22023', 'scheduled_at must be a date and time (ISO 8601)', 'nor is a Julian suffix');
select throws_ok(format($$ select public.execute_action('schedule_meeting', %L, '{"duration_minutes": 30, "attendees": "a@x.example"}') $$, :'eid'),
  '22023', 'params.attendees must be a list of email addresses', 'attendees are a list, not a string made into one');
select throws_ok(format($$ select public.propose_action('create_task', 'Follow up', jsonb_build_object('assignee', %L), %L) $$, :'manager_id', :'eid'),
  '22023', 'params.assignee is not a parameter of the create task action', 'a proposal is held to the same rule');
select is((select count(*)::int from app.action_proposals where execution_id = :'eid'), 0, '... and none is stored');

select lives_ok(format($$ select public.execute_action('create_task', %L, jsonb_build_object('due_date', %L, 'title', 'Call the CFO', 'assigned_to', %L)) $$,
                       :'eid', (:'today'::date + 7)::text || 'T09:00:00Z', :'manager_id'),
  'the right keys, of the right types, run');
select is((select assigned_to from app.workflow_tasks where execution_id = :'eid' and title = 'Call the CFO'), :'manager_id'::uuid,
  '... and assigned_to counts');
select lives_ok(format($$ select public.execute_action('crm_sync', %L, '{"opportunity": {"stage": "negotiation"}}') $$, :'eid'),
  'a custom action takes any params');
select is((select params from app.action_executions where execution_id = :'eid' and action_key = 'crm_sync'),
  '{"opportunity": {"stage": "negotiation"}}'::jsonb, '... and keeps them');
select tests.clear_authentication();

select * from finish();
rollback;
