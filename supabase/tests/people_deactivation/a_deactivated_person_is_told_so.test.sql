-- A deactivated person whose access token is still valid is told, by every call, that
-- their account is deactivated (42501 with a hint for a person): not that their role may
-- not do it, that they belong to no organisation, that their profile or their own workflow
-- does not exist, nor an empty answer. Active people and the service role are answered as
-- before. (app.refuse_deactivated_caller, migration 20261206252000.)
begin;
select plan(18);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
update app.profiles set deactivated_at = now() where id in (:'csm', :'manager');

create function pg_temp.told(sql text) returns text language plpgsql as $$
begin
  execute sql;
  return 'no error';
exception when others then
  declare s text; m text; h text;
  begin
    get stacked diagnostics s = returned_sqlstate, m = message_text, h = pg_exception_hint;
    return s || ': ' || m || coalesce(' (' || h || ')', '');
  end;
end $$;
grant execute on function pg_temp.told(text) to authenticated, service_role;
\set deactivated '''42501: Your account is deactivated (An admin of your organisation deactivated it, so you can no longer use Renubu. Ask them to reactivate it.)'''

select tests.authenticate_as('e_csm');
select is(pg_temp.told(format('select public.execute_action(%L, %L, %L)', 'snooze', :'eid', '{"days": 3, "reason": "Holiday"}')), :deactivated,
  'execute_action: not "Your role may not run actions"');
select is(pg_temp.told(format('select public.create_task(%L, %L)', 'Call the signer', :'cust')), :deactivated, 'create_task');
select is(pg_temp.told(format('select public.create_workflow_execution(%L, %L)', :'cust', 'risk-assessment')), :deactivated, 'create_workflow_execution');
select is(pg_temp.told(format('select public.cancel_workflow(%L, %L)', :'eid', 'Customer left')), :deactivated,
  'cancel_workflow: not "Workflow execution not found" for their own workflow');
select is(pg_temp.told('select public.get_my_profile()'), :deactivated, 'get_my_profile: not "No profile for the signed-in user"');
select is(pg_temp.told('select public.get_user_preferences()'), :deactivated, 'get_user_preferences');
select is(pg_temp.told('select public.list_customers()'), :deactivated, 'list_customers: not "Only members of an organisation"');
select is(pg_temp.told('select public.get_workflow_queue()'), :deactivated, 'get_workflow_queue');
select is(pg_temp.told('select public.list_saved_actions()'), :deactivated, 'list_saved_actions: not an empty list');
select is(pg_temp.told('select public.get_daily_brief()'), :deactivated, 'get_daily_brief: not an empty answer');
select is(pg_temp.told(format('select public.log_engagement(%L, %L, now()::text, %L)', :'cust', 'note', 'Still here')), :deactivated, 'log_engagement');
select is(pg_temp.told('select 1 from app.customers'), :deactivated, 'a read under row-level security');

select tests.authenticate_as('e_manager');
select is(pg_temp.told(format('select public.reassign_workflow(%L, %L, %L)', :'eid', :'csm2', 'Cover')), :deactivated, 'a deactivated manager is told so too');

select tests.clear_authentication();
select is((select count(*)::int from app.action_executions where execution_id = :'eid'), 0, 'no action was logged');
select is((select count(*)::int from app.workflow_tasks where customer_id = :'cust'), 0, 'and no task was created');

select tests.authenticate_as('e_csm2');
select is(pg_temp.told('select public.list_customers()'), 'no error', 'an active colleague is answered as before');
select isnt(app.current_org_id(), null, 'and still has their organisation');
select tests.authenticate_as_service_role();
select is(pg_temp.told('select app.current_org_id()'), 'no error', 'the service role has no profile and no refusal');
select * from finish();
rollback;
