-- A refusal repeats a key the caller sent in at most 60 characters: an action_key,
-- workflow_key, artifact_type, step_key or branch_key of 100 000 characters is refused with
-- the usual code and a message of a sentence's length, never the key whole (migration
-- 20261206259000; the filters' unknown values were already quoted this way).
begin;
select plan(14);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset

-- The refusal as 'SQLSTATE length-of-message', or 'no error'.
create function pg_temp.refusal(sql text) returns text language plpgsql as $$
begin
  execute sql;
  return 'no error';
exception when others then
  declare s text; m text;
  begin
    get stacked diagnostics s = returned_sqlstate, m = message_text;
    return s || case when length(m) <= 200 then ' brief' else ' ' || length(m) || ' characters' end;
  end;
end $$;
grant execute on function pg_temp.refusal(text) to authenticated;
\set big 'repeat(''k'', 100000)'

select tests.authenticate_as('e_csm');
select is(pg_temp.refusal(format('select public.execute_action(%s, %L)', :'big', :'eid')), '22023 brief', 'execute_action: action_key');
select is(pg_temp.refusal(format('select public.propose_action(%s, %L, %L, %L)', :'big', 'Why', '{}', :'eid')), '22023 brief', 'propose_action: action_key');
select is(pg_temp.refusal(format('select public.create_workflow_execution(%L, %s)', :'cust', :'big')), '22023 brief', 'create_workflow_execution: workflow_key');
select is(pg_temp.refusal(format('select public.get_workflow_definition(%s)', :'big')), 'PT404 brief', 'get_workflow_definition: workflow_key');
select is(pg_temp.refusal(format('select public.get_workflow_definition(%s, 1)', :'big')), 'PT404 brief', 'get_workflow_definition: workflow_key with a version');
select is(pg_temp.refusal(format('select public.get_step_chat_branches(%s, %L)', :'big', 'x')), 'PT404 brief', 'get_step_chat_branches: workflow_key');
select is(pg_temp.refusal(format('select public.list_artifacts(%L, artifact_type => %s)', :'eid', :'big')), '22023 brief', 'list_artifacts: artifact_type');
select is(pg_temp.refusal(format('select public.create_artifact(%L, %s, %L, %L)', :'eid', :'big', 'T', '{}')), '22023 brief', 'create_artifact: artifact_type');
select is(pg_temp.refusal(format('select public.complete_step(%L, %s)', :'eid', :'big')), 'PT409 brief', 'complete_step on a queued workflow: step_key');
select is(pg_temp.refusal(format('select public.choose_chat_branch(%L, %s, %s)', :'eid', :'big', :'big')), '22023 brief', 'choose_chat_branch: step_key and branch_key');
select public.start_workflow(:'eid') is not null as started \gset
select s.step_key as first_step from app.workflow_step_executions s where s.execution_id = :'eid' order by s.step_index limit 1 \gset
select is(pg_temp.refusal(format('select public.create_chat_thread(%L, %s)', :'eid', :'big')), '22023 brief', 'create_chat_thread: step_key');
select is(pg_temp.refusal(format('select public.create_chat_thread(%L, %L, branch_key => %s)', :'eid', :'first_step', :'big')), '22023 brief', 'create_chat_thread: branch_key');
select is(pg_temp.refusal(format('select public.complete_step(%L, %s)', :'eid', :'big')), '22023 brief', 'complete_step on a started workflow: step_key');

select tests.authenticate_as('e_admin');
select is(pg_temp.refusal(format('select public.set_workflow_enabled(%s, true)', :'big')), 'PT404 brief', 'set_workflow_enabled: workflow_key');
select * from finish();
rollback;
