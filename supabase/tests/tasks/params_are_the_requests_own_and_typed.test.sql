-- A task's changes and actions take their own parameters, each of its type: a misspelt
-- key is refused naming it (not answered as a success that changed nothing), a title or
-- reason sent as a list or an object is refused (not stored as its JSON text), and the
-- task is left as it was.
begin;
select plan(8);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, assigned_to) values (:'org', 'Task Co', :'csm') returning id as tc \gset

select tests.authenticate_as('e_csm');
select public.create_task('Mine', :'tc', due_date => (now() + interval '1 day')::text) ->> 'id' as mine \gset
select throws_ok(format('select public.act_on_task(%L, %L, %L)', :'mine', 'reassign', jsonb_build_object('assignee', :'csm2', 'reason', 'Holiday')),
  '22023', 'params.assignee is not a parameter of a task''s reassign', 'a misspelt assignee is refused, named');
select throws_ok(format('select public.act_on_task(%L, %L, %L)', :'mine', 'complete', '{"outcome": "done"}'),
  '22023', 'params.outcome is not a parameter of a task''s complete', 'complete takes no params');
select throws_ok(format('select public.act_on_task(%L, %L, %L)', :'mine', 'reassign', jsonb_build_object('assignee_id', :'csm2', 'reason', '{"o": 1}'::jsonb)),
  '22023', 'params.reason must be text', 'a reason sent as an object');
select throws_ok(format('select public.update_task(%L, %L)', :'mine', '{"title": ["a"]}'),
  '22023', 'changes.title must be text', 'a title sent as a list');
select throws_ok(format('select public.update_task(%L, %L)', :'mine', '{"due_date": 20261220}'),
  '22023', 'changes.due_date must be text', 'a due date sent as a number');
select tests.clear_authentication();
select is((select format('%s|%s|%s', title, assigned_to, status) from app.workflow_tasks where id = :'mine'),
  format('Mine|%s|pending', :'csm'), 'the task is as it was');

select tests.authenticate_as('e_csm');
select is(public.act_on_task(:'mine', 'reassign', jsonb_build_object('assignee_id', :'csm2', 'reason', 'Holiday')) ->> 'assigned_to', :'csm2',
  'the right keys run');
select tests.authenticate_as('e_csm2');
select is(public.update_task(:'mine', '{"title": "Prepare the deck", "description": null}') ->> 'title', 'Prepare the deck',
  'text as text, and a description cleared with null');
select tests.clear_authentication();

select * from finish();
rollback;
