-- A required reason, note, title or rationale made only of whitespace — tabs and line
-- breaks as much as spaces — is blank: refused with 22023, nothing written. Text with
-- whitespace around it is stored without it. (app.trimmed, migration 20261206226000.)
begin;
select plan(23);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select e.id as other from app.workflow_executions e where e.customer_id = :'cust' and e.id <> :'eid' limit 1 \gset

select tests.authenticate_as('e_csm');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'escalate', :'eid', jsonb_build_object('reason', E'\n\t')),
  '22023', 'reason is required to escalate a workflow', 'an escalation''s reason of a line break and a tab is blank');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'snooze', :'eid', jsonb_build_object('days', 3, 'reason', E'\t')),
  '22023', 'reason is required to snooze a workflow', 'a snooze''s reason of a tab is blank');
select throws_ok(format('select public.cancel_workflow(%L, %L)', :'eid', E'\r\n'), '22023', 'reason is required to cancel a workflow', 'a cancellation''s reason of a CR LF is blank');
select throws_ok(format('select public.create_task(%L, %L)', E'\t \n', :'cust'), '22023', 'title is required', 'a task title of whitespace is blank');
select throws_ok(format('select public.propose_action(%L, %L, %L, %L)', 'snooze', E'\n', '{"days": 3, "reason": "Board meeting"}', :'eid'),
  '22023', 'rationale is required (at most 2000 characters): why this action helps', 'a proposal''s rationale of a line break is blank');

select public.execute_action('escalate', :'eid', '{"reason": "Legal blocks the renewal"}') is not null as escalated \gset
select throws_ok(format('select public.withdraw_escalation(%L, %L)', :'eid', E'\n'), '22023', 'reason is required to withdraw an escalation', 'a withdrawal''s reason of a line break is blank');
select tests.authenticate_as('e_manager');
select throws_ok(format('select public.resolve_escalation(%L, %L, %L)', :'eid', 'return', E' \t\n'), '22023', 'note is required to return an escalation (guidance for the assignee)', 'a decision''s note of whitespace is blank');
select is((select status from app.workflow_executions where id = :'eid'), 'escalated', 'nothing was decided');

select tests.authenticate_as('e_csm');
select public.create_task('Call the signer', :'cust') ->> 'id' as task \gset
select throws_ok(format('select public.act_on_task(%L, %L, %L)', :'task', 'skip', jsonb_build_object('reason', E'\n')),
  '22023', 'reason is required to skip a task', 'a task skip''s reason of a line break is blank');
select is((select status from app.workflow_tasks where id = :'task'), 'pending', 'the task was not skipped');

-- Unicode's own spaces and the zero-width characters are blank too.
select throws_ok(format('select public.cancel_workflow(%L, %L)', :'other', E'\u00a0'), '22023', 'reason is required to cancel a workflow', 'a no-break space is blank');
select throws_ok(format('select public.create_task(%L, %L)', E'\u200b\ufeff', :'cust'), '22023', 'title is required', 'zero-width characters are blank');
-- Other required texts: a task's new title and its reassignment's reason, a draft's title.
select throws_ok(format('select public.update_task(%L, %L)', :'task', jsonb_build_object('title', E'\t\n')),
  '22023', 'changes.title must not be blank', 'a task''s new title of whitespace is blank');
select throws_ok(format('select public.act_on_task(%L, %L, %L)', :'task', 'reassign', jsonb_build_object('assignee_id', :'csm2', 'reason', E'\t\n')),
  '22023', 'params.reason is required to reassign a task', 'a task reassignment''s reason of whitespace is blank');
select throws_ok(format($$select public.create_artifact(%L, 'summary', %L, '{"text": "x"}')$$, :'other', E'\t\n'),
  '22023', 'title must not be empty', 'a draft''s title of whitespace is blank');
select public.create_artifact(:'eid', 'summary', 'Call notes', '{"text": "x"}') ->> 'id' as art \gset
select throws_ok(format('select public.update_artifact(%L, %L, 1)', :'art', jsonb_build_object('title', E'\u3000')),
  '22023', 'changes.title must be non-empty text', 'a draft''s new title of an ideographic space is blank');
select is((select title from app.workflow_tasks where id = :'task'), 'Call the signer', 'the task kept its title');
-- Characters that show as nothing: a direction mark, a blank Braille pattern.
select throws_ok(format('select public.cancel_workflow(%L, %L)', :'other', E'\u200e'), '22023', 'reason is required to cancel a workflow', 'a left-to-right mark is blank');
select throws_ok(format('select public.search_customer_history(%L, %L)', :'cust', E'\u2800'), '22023', 'query must not be empty', 'a history search for a blank Braille pattern is blank');
select tests.authenticate_as('e_admin');
select throws_ok(format('select public.create_webhook_secret(%L)', E'\u00a0'), '22023', 'label must be between 1 and 100 characters', 'a webhook secret''s label of a no-break space is blank');
select throws_ok(format('select public.save_saved_action(%L, %L, %L, %L, %L)', 'blank_custom', '{}', E'\t\u3164', 'custom', 'Does nothing'),
  '22023', 'name is required for a new action', 'a new custom action''s name of a tab and a Hangul filler is blank');
select tests.authenticate_as('e_csm');

select is(public.cancel_workflow(:'other', E'\t Customer left \n') ->> 'status', 'cancelled', 'a reason with whitespace around it is taken');
select is((select metadata -> 'history' -> -1 ->> 'reason' from app.workflow_executions where id = :'other'),
  'Customer left', 'and stored without it');
select * from finish();
rollback;
