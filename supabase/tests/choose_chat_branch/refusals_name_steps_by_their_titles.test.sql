-- A branch's refusal names steps by their titles, as the page shows them, like complete_step's
-- (20261206272000): a branch of a step that is no longer the current one (a double click, a
-- stale screen), with the current step it should continue with; and complete_step on a
-- workflow still in the queue, before its step rows exist. Never by their keys.
begin;
select plan(4);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, assigned_to)
values (:'org', 'Fabrikam', 40000, 70, :'csm') returning id as cust \gset
select tests.authenticate_as('e_csm');
select (public.create_workflow_execution(:'cust', 'health-check') ->> 'id') as eid \gset
select x -> 'steps' -> 0 ->> 'key' as k0, x -> 'steps' -> 0 ->> 'title' as t0, x -> 'steps' -> 1 ->> 'title' as t1
  from public.get_workflow_execution(:'eid') x \gset

-- Still in the queue: no step rows yet, the step is named by its title all the same.
select throws_ok(format('select public.complete_step(%L, %L)', :'eid', :'k0'), 'PT409',
  format('Cannot complete step "%s": the workflow is still in the queue, not started', :'t0'),
  'complete_step on a queued workflow names the step by its title');

select public.start_workflow(:'eid') is not null as s \gset
select public.choose_chat_branch(:'eid', :'k0', 'stable') is not null as first_press \gset
select throws_ok(format('select public.choose_chat_branch(%L, %L, %L)', :'eid', :'k0', 'stable'), 'PT409',
  format('Cannot follow a branch of step "%s": it is not the current step', :'t0'),
  'the second press names the step by its title');

create function pg_temp.hint_of(statement text) returns text language plpgsql as $$
declare v_hint text;
begin
  execute statement;
  return 'no error';
exception when others then
  get stacked diagnostics v_hint = pg_exception_hint;
  return v_hint;
end;
$$;
select is(pg_temp.hint_of(format('select public.choose_chat_branch(%L, %L, %L)', :'eid', :'k0', 'stable')),
  format('Continue with the current step "%s".', :'t1'), 'and the current step by its title');
select isnt(:'t0'::text, :'k0'::text, 'the title is not the key (the checks above could not pass on a key)');

select * from finish();
rollback;
