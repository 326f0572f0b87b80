-- Two admins open version N; the first save wins, the second is PT409 and changes nothing.
begin;
select plan(4);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select tests.create_member('e_admin2', :'org', 'admin') is not null as made \gset
select tests.authenticate_as('e_admin');
select public.get_workflow_definition('health-check') as def \gset
select (:'def'::jsonb ->> 'version')::int as base \gset
select jsonb_set(:'def'::jsonb -> 'definition', '{steps,0,title}', '"First edit"') as first \gset
select jsonb_set(:'def'::jsonb -> 'definition', '{steps,0,title}', '"Second edit"') as second \gset
select lives_ok(format('select public.save_workflow_definition(%L, %L, %s)', 'health-check', :'first', :base), 'the first save lands');
select tests.authenticate_as('e_admin2');
select throws_ok(format('select public.save_workflow_definition(%L, %L, %s)', 'health-check', :'second', :base), 'PT409',
  format('This workflow was changed since you opened it: it is now at version %s, you edited version %s', :base + 1, :base),
  'the second, from the same base, is a conflict');
select is(public.get_workflow_definition('health-check') -> 'definition' -> 'steps' -> 0 ->> 'title', 'First edit', 'the first edit stands');
select lives_ok(format('select public.save_workflow_definition(%L, %L, %s)', 'health-check', :'second', :base + 1), 'saving on the new base works');
select * from finish();
rollback;
