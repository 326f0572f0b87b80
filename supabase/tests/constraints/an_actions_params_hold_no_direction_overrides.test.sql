-- What an action was run with (app.action_executions.params: a snooze's reason, a meeting's
-- title, a task's title) holds no text-direction override and no control character where the
-- screens show it on one line, as a proposal's params do (20261215400100): the workflow page's
-- action log and the customer's timeline show an action's reason as what it was for. Before
-- migration 20261215630000 a snooze 'Waiting<U+202E>gnp.exe' read 'Waitingexe.png' there.
-- The action is refused with 22023 naming the field and nothing of it is applied; a refused
-- call's log (log_refused_action) keeps what was sent without those characters, so the refusal
-- is still logged.
begin;
select plan(7);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select * from tests.create_two_open_renewals(:'org', :'csm', :'today') \gset

select tests.authenticate_as('e_csm');
select throws_ok(format($$select public.execute_action('snooze', %L, jsonb_build_object('days', 3, 'reason', E'Waiting\u202Egnp.exe'))$$, :'eid'),
  '22023', 'params.reason must not contain control characters or text-direction overrides',
  'a snooze whose reason holds a right-to-left override is refused');
select throws_ok(format($$select public.execute_action('create_task', %L, jsonb_build_object('title', E'Call\nback', 'due_date', %L))$$, :'eid', (:'today'::date + 5)::text),
  '22023', 'params.title must not contain control characters or text-direction overrides',
  'a task''s title is one line');
select is((select status from app.workflow_executions where id = :'eid'), 'queued', 'the workflow is not snoozed');
select is((select count(*)::int from app.action_executions where execution_id = :'eid'), 0, 'and no action is logged');
select lives_ok(format($$select public.execute_action('snooze', %L, jsonb_build_object('days', 3, 'reason', E'הלקוח בחופשה\nback Monday'))$$, :'eid'),
  'a Hebrew reason over two lines is applied');

select tests.authenticate_as_service_role();
select public.log_refused_action(:'csm', 'snooze', :'eid2', jsonb_build_object('days', 99, 'reason', E'Waiting\u202Egnp.exe'),
  null, '22023', 'days must be between 1 and 30') as refused \gset
select is((select params ->> 'reason' from app.action_executions where id = :'refused'), 'Waitinggnp.exe',
  'a refused call is still logged, with what it was sent less the override');
select tests.clear_authentication();
select is(tests.violation(format($$insert into app.action_executions (org_id, execution_id, action_key, executed_by, params, success)
    values (%L, %L, 'snooze', %L, jsonb_build_object('reason', E'x\u2066y'), true)$$, :'org', :'eid2', :'csm')),
  '22023', 'a plain INSERT of a recorded action is refused alike');
select * from finish();
rollback;
