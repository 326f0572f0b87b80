-- The workflow's tasks carry their descriptions, as the Tasks page's list_tasks does, so the
-- workflow page's "Tasks and meetings" shows what the task's author wrote (migration
-- 20261212301000; before, the list had titles only).
begin;
select plan(2);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select * from tests.create_two_open_renewals(:'org', :'csm', :'today') \gset

select tests.authenticate_as('e_csm');
select public.create_task('Send the deck', :'cust', description => 'Ask for redlines by Friday', execution_id => :'eid',
                          due_date => '2031-01-15T17:00:00Z') as with_words \gset
select public.create_task('Book the room', :'cust', execution_id => :'eid', due_date => '2031-01-16T17:00:00Z') as without \gset

select is((select array_agg(t ->> 'description' order by t ->> 'title')
             from jsonb_array_elements(public.get_workflow_execution(:'eid') -> 'tasks') t),
  array[null, 'Ask for redlines by Friday'], 'each task with its description, none when it has none');
select ok((select bool_and(t ? 'description') from jsonb_array_elements(public.get_workflow_execution(:'eid') -> 'tasks') t),
  'the key is there for every task');
select * from finish();
rollback;
