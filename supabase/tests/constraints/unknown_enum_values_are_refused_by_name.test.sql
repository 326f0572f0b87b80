-- Every closed list of values (roles, statuses, types, priorities, ...) is a named check
-- constraint: a value outside it fails with 23514 (check violation; PostgREST answers
-- 400, like 22023) and the message names the rule. A list kept in a lookup table (task
-- types, task priorities, workflow types) is a named foreign key instead: 23503, named the same way. Written by org A's admin, who may
-- change every one of these rows, so only the constraint stands in the way.
begin;
select tests.create_rls_world();

create temporary table cases (statement text, expected text) on commit drop;
insert into cases values
  (format($$ update app.profiles set role = 'owner' where id = %L $$, tests.get_supabase_uid('csm_a')), '23514 profiles_role_is_known'),
  (format($$ update app.profiles set experience_level = 'guru' where id = %L $$, tests.get_supabase_uid('csm_a')), '23514 profiles_experience_level_is_known'),
  (format($$ update app.customers set renewal_stage = 'Someday' where id = %L $$, tests.row_id('customers', 'a')), '23514 customers_renewal_stage_is_known'),
  (format($$ update app.workflow_executions set status = 'done' where id = %L $$, tests.row_id('workflow_executions', 'mine')), '23514 workflow_executions_status_is_known'),
  (format($$ update app.workflow_step_executions set status = 'halfway' where id = %L $$, tests.row_id('workflow_step_executions', 'mine')), '23514 workflow_step_executions_status_is_known'),
  (format($$ update app.workflow_tasks set task_type = 'chores' where id = %L $$, tests.row_id('workflow_tasks', 'mine')), '23503 workflow_tasks_type_is_known'),
  (format($$ update app.workflow_tasks set priority = 'asap' where id = %L $$, tests.row_id('workflow_tasks', 'mine')), '23503 workflow_tasks_priority_is_known'),
  (format($$ update app.workflow_tasks set status = 'abandoned' where id = %L $$, tests.row_id('workflow_tasks', 'mine')), '23514 workflow_tasks_status_is_known'),
  (format($$ update app.workflow_task_artifacts set artifact_type = 'poem' where id = %L $$, tests.row_id('workflow_task_artifacts', 'mine')), '23514 workflow_task_artifacts_type_is_known'),
  (format($$ update app.workflow_task_artifacts set generated_by = 'magic' where id = %L $$, tests.row_id('workflow_task_artifacts', 'mine')), '23514 workflow_task_artifacts_generated_by_is_known'),
  (format($$ update app.workflow_chat_threads set thread_type = 'gossip' where id = %L $$, tests.row_id('workflow_chat_threads', 'mine')), '23514 workflow_chat_threads_type_is_known'),
  (format($$ update app.workflow_chat_threads set status = 'paused' where id = %L $$, tests.row_id('workflow_chat_threads', 'mine')), '23514 workflow_chat_threads_status_is_known'),
  (format($$ update app.workflow_chat_messages set role = 'robot' where id = %L $$, tests.row_id('workflow_chat_messages', 'mine')), '23514 workflow_chat_messages_role_is_known'),
  (format($$ update app.workflow_chat_messages set status = 'typing' where id = %L $$, tests.row_id('workflow_chat_messages', 'mine')), '23514 workflow_chat_messages_status_is_known'),
  (format($$ insert into app.engagement_events (org_id, customer_id, event_type, occurred_at) values (app.current_org_id(), %L, 'party', now()) $$, tests.row_id('customers', 'a')), '23514 engagement_events_type_is_known'),
  (format($$ insert into app.engagement_events (org_id, customer_id, event_type, occurred_at, ticket_status) values (app.current_org_id(), %L, 'support_ticket', now(), 'lost') $$, tests.row_id('customers', 'a')), '23514 engagement_events_ticket_status_is_known'),
  (format($$ insert into app.stakeholders (org_id, customer_id, name, influence) values (app.current_org_id(), %L, 'Pat', 'total') $$, tests.row_id('customers', 'a')), '23514 stakeholders_influence_is_known'),
  (format($$ insert into app.contracts (org_id, customer_id, start_date, status) values (app.current_org_id(), %L, current_date, 'pending') $$, tests.row_id('customers', 'a')), '23514 contracts_status_is_known'),
  ($$ update app.workflows set workflow_type = 'chore' where key = 'test-flow' $$, '23503 workflows_type_is_known'),
  ($$ insert into app.saved_actions (org_id, key, name, action_type) values (app.current_org_id(), 'dance', 'Dance', 'dance') $$, '23514 saved_actions_type_is_known'),
  ($$ insert into app.notifications (org_id, user_id, notification_type, title) values (app.current_org_id(), auth.uid(), 'gossip', 'Psst') $$, '23514 notifications_type_is_known'),
  ($$ insert into app.email_outbox (org_id, to_addresses, subject, body_text, status) values (app.current_org_id(), '{a@example.com}', 'Hi', 'Hello', 'lost') $$, '23514 email_outbox_status_is_known'),
  ($$ insert into app.orchestrator_runs (org_id, as_of, trigger) values (app.current_org_id(), current_date, 'whim') $$, '23514 orchestrator_runs_trigger_is_known');
grant select on cases to authenticated;

select plan((select count(*)::int from cases));

select tests.authenticate_as('admin_a');
select is(tests.violation(statement), expected, format('%s is refused by name', split_part(expected, ' ', 2)))
from cases;

select * from finish();
rollback;
