-- Free text a person or the assistant stores has a bound, on every path: a task's title
-- (300), description (10 000) and reasons (2 000), an artifact's title (300), content
-- (100 000 as JSON text) and metadata (20 000), an action's params (20 000) are refused
-- beyond it with 22023 naming the field, and nothing is stored (migration 20261205201500).
begin;
select plan(13);
set client_min_messages = warning;
select tests.create_rls_world();
select tests.authenticate_as('csm_a');
select tests.row_id('workflow_executions', 'mine') as exec \gset
select customer_id as cust from app.workflow_executions where id = :'exec' \gset

select throws_ok(format('select public.create_task(%L, %L, due_date => %L)', repeat('t', 301), :'cust', '2030-01-01'),
  '22023', 'title is longer than 300 characters', 'a task title of 301 characters is refused');
select throws_ok(format('select public.create_task(%L, %L, description => %L, due_date => %L)', 'Call', :'cust', repeat('d', 10001), '2030-01-01'),
  '22023', 'description is longer than 10000 characters', 'a task description of 10 001 characters is refused');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'create_task', :'exec',
                        jsonb_build_object('due_date', '2030-01-01', 'title', repeat('t', 301))),
  '22023', 'title is longer than 300 characters', 'so is one through the create_task action');
select throws_ok(format('select public.create_artifact(%L, %L, %L, %L)', :'exec', 'email_draft', repeat('a', 301), '{}'),
  '22023', 'title is longer than 300 characters', 'an artifact title of 301 characters is refused');
select throws_ok(format('select public.create_artifact(%L, %L, %L, %L)', :'exec', 'email_draft', 'Offer',
                        jsonb_build_object('body', repeat('b', 100000))),
  '22023', 'content is longer than 100000 characters', 'and content beyond 100 000 characters');
select throws_ok(format('select public.create_artifact(%L, %L, %L, %L, metadata => %L)', :'exec', 'email_draft', 'Offer', '{}',
                        jsonb_build_object('note', repeat('m', 20000))),
  '22023', 'metadata is longer than 20000 characters', 'artifact metadata beyond 20 000 characters is refused');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'snooze', :'exec',
                        jsonb_build_object('days', 3, 'reason', repeat('r', 30000))),
  '22023', 'params is longer than 20000 characters', 'an action''s params beyond 20 000 characters are refused before anything is applied');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'create_task', :'exec',
                        jsonb_build_object('due_date', '2030-01-01', 'title', repeat('t', 1000000))),
  '22023', 'params is longer than 20000 characters', 'so is a 1 MB title through the create_task action');
select tests.clear_authentication();
select is((select count(*)::int from app.workflow_tasks where customer_id = :'cust' and length(title) > 300), 0, 'no long task was stored');
select is((select count(*)::int from app.workflow_task_artifacts where execution_id = :'exec' and title = 'Offer'), 0, 'no long artifact was stored');

select tests.authenticate_as('csm_a');
select lives_ok(format('select public.create_task(%L, %L, due_date => %L)', repeat('t', 300), :'cust', '2030-01-01'),
  'a title of exactly 300 characters is kept');
select lives_ok(format('select public.create_artifact(%L, %L, %L, %L)', :'exec', 'email_draft', 'Offer',
                       jsonb_build_object('body', repeat('b', 90000))),
  'content of 90 000 characters is kept');
select public.create_task('Hand over', :'cust', due_date => '2030-01-01') ->> 'id' as task \gset
select throws_ok(format('select public.act_on_task(%L, %L, %L)', :'task', 'skip', jsonb_build_object('reason', repeat('r', 2001))),
  '22023', 'reason is longer than 2000 characters', 'a skip reason beyond 2 000 characters is refused');

select * from finish();
rollback;
