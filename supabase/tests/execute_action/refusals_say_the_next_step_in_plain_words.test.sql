-- A refusal says what to do next in plain words (migration 20261211501000):
-- - a withdrawal refused on a workflow still in the queue read "… it is not escalated (it is
--   still in the queue (not started))", brackets in brackets; the status's words have none now;
-- - a skip refused on a snoozed workflow hinted "Start the workflow first."; the real next step
--   is to wake it (the workflow page's Wake now); a queued one is still to be started, an
--   escalated one waits for its decision, a closed one cannot change;
-- - the core actions say what they do in plain English, never a key ("create a schedule_meeting
--   task", which the dialogs showed as "create a schedule meeting task").
begin;
select plan(8);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset

-- The refusal's message and hint, as the person reads them ("message | hint").
create function pg_temp.refusal(statement text) returns text language plpgsql as $$
declare
  v_message text;
  v_hint text;
begin
  execute statement;
  return 'not refused';
exception when others then
  get stacked diagnostics v_message = message_text, v_hint = pg_exception_hint;
  return v_message || ' | ' || coalesce(v_hint, '');
end;
$$;
grant execute on function pg_temp.refusal(text) to authenticated;

select tests.authenticate_as('e_csm');
select is(pg_temp.refusal(format($$ select public.withdraw_escalation(%L, 'Back to me') $$, :'eid')),
  'Cannot withdraw the escalation of this workflow: it is not escalated (it is still in the queue, not started) | Only an open escalation can be withdrawn or decided.',
  'a withdrawal refused on a queued workflow says its status without brackets in brackets');
select is(pg_temp.refusal(format($$ select public.execute_action('skip', %L, '{"reason": "Not applicable"}') $$, :'eid')),
  'Cannot skip a step: the workflow is still in the queue, not started | Start the workflow first.',
  'a skip on a queued workflow: start it first');

select public.execute_action('snooze', :'eid', '{"days": 3, "reason": "waiting on legal"}') is not null as snoozed \gset
select is(pg_temp.refusal(format($$ select public.execute_action('skip', %L, '{"reason": "Not applicable"}') $$, :'eid')),
  'Cannot skip a step: the workflow is snoozed | Wake the workflow first (Wake now), or wait until its snooze ends.',
  'a skip on a snoozed workflow: wake it first');
select is(split_part(pg_temp.refusal(format($$ select public.complete_step(%L, %L) $$, :'eid',
    (select w.config -> 'steps' -> 0 ->> 'key' from app.workflow_executions e join app.workflow_versions w on w.id = e.workflow_version_id
      where e.id = :'eid'))), ' | ', 2),
  'Wake the workflow first (Wake now), or wait until its snooze ends.', 'a step completed on a snoozed workflow: wake it first');
select is(split_part(pg_temp.refusal(format($$ select public.complete_workflow(%L) $$, :'eid')), ' | ', 2),
  'Wake the workflow first (Wake now), or wait until its snooze ends.', 'the workflow completed while snoozed: wake it first');

select is((select a ->> 'description' from jsonb_array_elements(public.list_saved_actions()) a where a ->> 'key' = 'send_email'),
  'Send the customer an email drafted in this workflow, through the outbox; when the organisation requires approval, it must be approved first.',
  'Send Email says what it does in plain English');
select is((select a ->> 'description' from jsonb_array_elements(public.list_saved_actions()) a where a ->> 'key' = 'schedule_meeting'),
  'Add a follow-up meeting to the workflow, with a task to hold it on the day.', 'Schedule Meeting too');
select is((select string_agg(a ->> 'key', ', ') from jsonb_array_elements(public.list_saved_actions()) a
            where a ->> 'description' ~ '[a-z]+_[a-z]+'), null, 'no core action''s description names a key');
select tests.clear_authentication();

select * from finish();
rollback;
