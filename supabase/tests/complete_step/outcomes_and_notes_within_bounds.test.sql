-- Outcomes and notes people or the assistant supply are bounded on every path, as row
-- triggers answering 22023 naming the field: a step's and a workflow's outcome (20 000
-- characters as JSON text), a step's skip reason, an escalation's reason and note (2 000),
-- a meeting's title (300), a chat message (20 000 from a person, 100 000 otherwise).
begin;
select plan(15);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select tests.authenticate_as('e_csm');
select public.start_workflow(:'eid') is not null as started \gset
select current_step_key as step from app.workflow_executions where id = :'eid' \gset

select throws_ok(format('select public.complete_step(%L, %L, %L)', :'eid', :'step', jsonb_build_object('notes', repeat('R', 1000000))),
  '22023', 'outcome is longer than 20000 characters', 'a step''s 1 MB outcome is refused');
select is((select outcome from app.workflow_step_executions where execution_id = :'eid' and step_key = :'step'), '{}'::jsonb,
  'and nothing of it is stored');
select lives_ok(format('select public.complete_step(%L, %L, %L)', :'eid', :'step', jsonb_build_object('notes', repeat('R', 15000))),
  'an outcome of a few pages is taken');
select throws_ok(format('select public.complete_workflow(%L, %L, true, %L)', :'eid', jsonb_build_object('summary', repeat('W', 1000000)), 'Done on a call'),
  '22023', 'outcome is longer than 20000 characters', 'a workflow''s 1 MB outcome is refused');
select is((select status from app.workflow_executions where id = :'eid'), 'in_progress', 'and the workflow stays open');
select lives_ok(format('select public.complete_workflow(%L, %L, true, %L)', :'eid', '{"summary": "Renewed for two years"}', 'Done on a call'),
  'a short summary completes it');
select tests.clear_authentication();

-- The other paths: written directly (as the database's own code or the service role would).
select is(tests.violation(format('update app.workflow_step_executions set skip_reason = %L where execution_id = %L',
            repeat('S', 2001), :'eid')), '22023', 'a step''s skip reason over 2000');
select is(tests.violation(format('update app.workflow_executions set outcome = %L where id = %L',
            jsonb_build_object('x', repeat('O', 20001)), :'eid')), '22023', 'an execution''s outcome on any path');
select is(tests.violation(format($q$insert into app.workflow_escalations (org_id, execution_id, reason, from_status)
            values (%L, %L, %L, 'in_progress')$q$, :'org', :'eid', repeat('E', 2001))), '22023', 'an escalation''s reason over 2000');
select is(tests.violation(format($q$insert into app.workflow_meetings (org_id, execution_id, title, scheduled_at, duration_minutes)
            values (%L, %L, %L, now(), 30)$q$, :'org', :'eid', repeat('M', 301))), '22023', 'a meeting''s title over 300');
insert into app.workflow_chat_threads (org_id, execution_id, step_key, title)
values (:'org', :'eid', :'step', 'Talk') returning id as thread \gset
select is(tests.violation(format($q$insert into app.workflow_chat_messages (org_id, thread_id, sequence, role, content)
            values (%L, %L, 1, 'user', %L)$q$, :'org', :'thread', repeat('C', 20001))), '22023', 'a person''s chat message over 20000');
select is(tests.violation(format($q$insert into app.workflow_chat_messages (org_id, thread_id, sequence, role, content)
            values (%L, %L, 1, 'assistant', %L)$q$, :'org', :'thread', repeat('C', 20001))), 'no error', 'the assistant''s longer reply is kept');
select is(tests.violation(format($q$insert into app.workflow_chat_messages (org_id, thread_id, sequence, role, content)
            values (%L, %L, 2, 'assistant', %L)$q$, :'org', :'thread', repeat('C', 100001))), '22023', 'the assistant''s reply over 100000');
select is(tests.violation(format($q$insert into app.workflow_step_executions (org_id, execution_id, step_key, step_index, title, status, outcome)
            values (%L, %L, 'x-long', 99, 'Long', 'completed', %L)$q$, :'org', :'eid', jsonb_build_object('x', repeat('O', 20001)))),
  '22023', 'a step row written with an outcome over the bound');

-- Only what a statement writes is checked: an escalation stored before the bound, with a
-- longer reason, can still be decided.
alter table app.workflow_escalations disable trigger workflow_escalations_keep_readable_text;
insert into app.workflow_escalations (org_id, execution_id, reason, from_status)
values (:'org', :'eid', repeat('L', 4800), 'in_progress') returning id as old_escalation \gset
alter table app.workflow_escalations enable trigger workflow_escalations_keep_readable_text;
select is(tests.violation(format('update app.workflow_escalations set resolution_note = %L where id = %L', 'Go ahead', :'old_escalation')),
  'no error', 'an escalation with a reason from before the bound takes its decision');

select * from finish();
rollback;
