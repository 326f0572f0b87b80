-- The action log is written only by execute_action: nobody — not even the assigned csm or
-- an admin — can insert a made-up entry or change a real one directly (42501), and the
-- helpers execute_action writes through refuse to rewrite a finished entry, someone else's,
-- or to log on a workflow the caller may not work on. execute_action itself still logs.
begin;
select plan(12);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select s.id as snooze_id from app.saved_actions s where s.key = 'snooze' and s.org_id is null \gset

select ok(not has_table_privilege('authenticated', 'app.action_executions', 'INSERT')
          and not has_table_privilege('authenticated', 'app.action_executions', 'UPDATE')
          and not has_any_column_privilege('authenticated', 'app.action_executions', 'UPDATE'),
          'signed-in users hold no insert or update privilege on the action log');

select tests.authenticate_as('e_csm');
select public.execute_action('create_task', :'eid', '{"due_date": "2030-01-01T09:00:00Z"}', 'key-1') as a \gset
select ok((select success from app.action_executions where id = (:'a'::jsonb ->> 'action_execution_id')::uuid),
          'execute_action still logs the call it applied');

select throws_ok(format($$ insert into app.action_executions (org_id, execution_id, action_key, executed_by, success, result)
                          values (%L, %L, 'escalate', %L, true, '{"made_up": true}') $$, :'org', :'eid', :'csm'),
                 '42501', null, 'the assigned csm cannot insert a made-up entry');
select throws_ok(format($$ update app.action_executions set result = '{"made_up": true}' where id = %L $$,
                        :'a'::jsonb ->> 'action_execution_id'),
                 '42501', null, 'the assigned csm cannot change their own real entry');
select throws_ok(format($$ select app.complete_action_log(%L, '{}', '{"made_up": true}', '[]') $$,
                        :'a'::jsonb ->> 'action_execution_id'),
                 '42501', null, 'the completion helper refuses an entry that is already finished');
select is((select result ->> 'made_up' from app.action_executions where id = (:'a'::jsonb ->> 'action_execution_id')::uuid),
          null, 'the real entry is untouched');

select tests.authenticate_as('e_csm2');
select throws_ok(format($$ select app.claim_action_log(%L, %L, '{}', null) $$, :'eid', :'snooze_id'),
                 '42501', null, 'a colleague cannot log an action on a workflow assigned to someone else');
select throws_ok(format($$ select app.complete_action_log(%L, '{}', '{"made_up": true}', '[]') $$,
                        :'a'::jsonb ->> 'action_execution_id'),
                 '42501', null, 'a colleague cannot complete someone else''s entry');

select tests.authenticate_as('e_viewer');
select throws_ok(format($$ select app.claim_action_log(%L, %L, '{}', null) $$, :'eid', :'snooze_id'),
                 '42501', null, 'a viewer cannot log an action');

select tests.authenticate_as('e_admin');
select throws_ok(format($$ insert into app.action_executions (org_id, execution_id, action_key, executed_by, success)
                          values (%L, %L, 'snooze', %L, true) $$, :'org', :'eid', :'admin'),
                 '42501', null, 'an admin cannot insert an entry directly either');
select throws_ok(format($$ delete from app.action_executions where id = %L $$, :'a'::jsonb ->> 'action_execution_id'),
                 '42501', null, 'nor delete one');

select tests.clear_authentication();
select is((select count(*)::int from app.action_executions where execution_id = :'eid'), 1,
          'the log holds only the one call execute_action applied');

select * from finish();
rollback;
