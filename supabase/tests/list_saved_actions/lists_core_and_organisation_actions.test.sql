-- The six core actions plus the organisations own; not another organisations.
begin;
select plan(3);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.saved_actions (org_id, key, name, action_type) values (:'other_org', 'their_thing', 'Their thing', 'custom');
insert into app.saved_actions (org_id, key, name, action_type) values (:'org', 'log_call', 'Log a call', 'custom');
select tests.authenticate_as('e_csm');
select ok((select array_agg(a ->> 'key') from jsonb_array_elements(public.list_saved_actions()) a)
          @> array['snooze', 'skip', 'escalate', 'schedule_meeting', 'send_email', 'create_task', 'log_call'], 'core and own actions');
select ok(not exists (select 1 from jsonb_array_elements(public.list_saved_actions()) a where a ->> 'key' = 'their_thing'), 'not another organisation''s');
select ok(not has_function_privilege('anon', 'public.list_saved_actions()', 'execute'), 'anon cannot call it');

select * from finish();
rollback;
