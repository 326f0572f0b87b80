-- An action's idempotency key is unique per person: the same key again fails with 23505
-- (unique violation; PostgREST answers 409, like PT409) naming the rule; another person
-- may use the same key; a blank key is refused by its own rule. (Users cannot write the
-- action log directly — execute_action does — so the rows are written as the service role.)
begin;
select plan(4);
select tests.create_rls_world();

select tests.authenticate_as_service_role();
select is(tests.violation(format(
            $$ insert into app.action_executions (org_id, execution_id, action_key, success, executed_by, idempotency_key) values (%L, %L, 'snooze', true, %L, 'key-1') $$,
            tests.org_id('Org A'), tests.row_id('workflow_executions', 'mine'), tests.get_supabase_uid('csm_a'))),
          'no error', 'the first use of a key is recorded');
select is(tests.violation(format(
            $$ insert into app.action_executions (org_id, execution_id, action_key, success, executed_by, idempotency_key) values (%L, %L, 'snooze', true, %L, 'key-1') $$,
            tests.org_id('Org A'), tests.row_id('workflow_executions', 'mine'), tests.get_supabase_uid('csm_a'))),
          '23505 action_executions_idempotency_key_is_unique_per_user', 'the same key again is refused by name');
select is(tests.violation(format(
            $$ insert into app.action_executions (org_id, execution_id, action_key, success, executed_by, idempotency_key) values (%L, %L, 'snooze', true, %L, '  ') $$,
            tests.org_id('Org A'), tests.row_id('workflow_executions', 'mine'), tests.get_supabase_uid('csm_a'))),
          '23514 action_executions_idempotency_key_is_not_blank', 'a blank key is refused by name');
select is(tests.violation(format(
            $$ insert into app.action_executions (org_id, execution_id, action_key, success, executed_by, idempotency_key) values (%L, %L, 'snooze', true, %L, 'key-1') $$,
            tests.org_id('Org A'), tests.row_id('workflow_executions', 'mine'), tests.get_supabase_uid('manager_a'))),
          'no error', 'another person may use the same key');

select * from finish();
rollback;
