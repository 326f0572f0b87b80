-- A required reason, note, title or rationale made only of whitespace — tabs and line
-- breaks as much as spaces — is blank: refused with 22023, nothing written. Text with
-- whitespace around it is stored without it. (app.trimmed, migration 20261206226000.)
begin;
select plan(19);
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
  '22023', null, 'an escalation''s reason of a line break and a tab is blank');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'snooze', :'eid', jsonb_build_object('days', 3, 'reason', E'\t')),
  '22023', null, 'a snooze''s reason of a tab is blank');
select throws_ok(format('select public.cancel_workflow(%L, %L)', :'eid', E'\r\n'), '22023', null, 'a cancellation''s reason of a CR LF is blank');
select throws_ok(format('select public.create_task(%L, %L)', E'\t \n', :'cust'), '22023', 'title is required', 'a task title of whitespace is blank');
select throws_ok(format('select public.propose_action(%L, %L, %L, %L)', 'snooze', E'\n', '{"days": 3, "reason": "Board meeting"}', :'eid'),
  '22023', null, 'a proposal''s rationale of a line break is blank');

select public.execute_action('escalate', :'eid', '{"reason": "Legal blocks the renewal"}') is not null as escalated \gset
select throws_ok(format('select public.withdraw_escalation(%L, %L)', :'eid', E'\n'), '22023', null, 'a withdrawal''s reason of a line break is blank');
select tests.authenticate_as('e_manager');
select throws_ok(format('select public.resolve_escalation(%L, %L, %L)', :'eid', 'return', E' \t\n'), '22023', null, 'a decision''s note of whitespace is blank');
select is((select status from app.workflow_executions where id = :'eid'), 'escalated', 'nothing was decided');

select tests.authenticate_as('e_csm');
select public.create_task('Call the signer', :'cust') ->> 'id' as task \gset
select throws_ok(format('select public.act_on_task(%L, %L, %L)', :'task', 'skip', jsonb_build_object('reason', E'\n')),
  '22023', null, 'a task skip''s reason of a line break is blank');
select is((select status from app.workflow_tasks where id = :'task'), 'pending', 'the task was not skipped');

-- Unicode's own spaces and the zero-width characters are blank too.
select throws_ok(format('select public.cancel_workflow(%L, %L)', :'other', E'\u00a0'), '22023', null, 'a no-break space is blank');
select throws_ok(format('select public.create_task(%L, %L)', E'\u200b\ufeff', :'cust'), '22023', 'title is required', 'zero-width characters are blank');
-- Other required texts: a task's new title and its reassignment's reason, a draft's title.
select throws_ok(format('select public.update_task(%L, %L)', :'task', jsonb_build_object('title', E'\t\n')),
  '22023', null, 'a task''s new title of whitespace is blank');
select throws_ok(format('select public.act_on_task(%L, %L, %L)', :'task', 'reassign', jsonb_build_object('assignee_id', :'csm2', 'reason', E'\t\n')),
  '22023', null, 'a task reassignment''s reason of whitespace is blank');
select throws_ok(format($$select public.create_artifact(%L, 'summary', %L, '{"text": "x"}')$$, :'other', E'\t\n'),
  '22023', null, 'a draft''s title of whitespace is blank');
select public.create_artifact(:'eid', 'summary', 'Call notes', '{"text": "x"}') ->> 'id' as art \gset
select throws_ok(format('select public.update_artifact(%L, %L, 1)', :'art', jsonb_build_object('title', E'\u3000')),
  '22023', null, 'a draft''s new title of an ideographic space is blank');
select is((select title from app.workflow_tasks where id = :'task'), 'Call the signer', 'the task kept its title');

select is(public.cancel_workflow(:'other', E'\t Customer left \n') ->> 'status', 'cancelled', 'a reason with whitespace around it is taken');
select is((select metadata -> 'history' -> -1 ->> 'reason' from app.workflow_executions where id = :'other'),
  'Customer left', 'and stored without it');
select * from finish();
rollback;
