-- One open execution per customer and workflow: a second one fails with 23505 (unique
-- violation; PostgREST answers 409, like PT409) naming the rule, and through the API
-- create_workflow_execution answers PT409 with a readable message. Once the first is
-- closed, a new one may open.
begin;
select plan(5);
select tests.create_rls_world();

select tests.authenticate_as('manager_a');
select is(tests.violation(format(
            $$ insert into app.workflow_executions (org_id, customer_id, workflow_id, workflow_version_id)
               select org_id, customer_id, workflow_id, workflow_version_id from app.workflow_executions where id = %L $$,
            tests.row_id('workflow_executions', 'mine'))),
          '23505 workflow_executions_one_open_per_customer_and_workflow', 'a second open execution is refused by name');

select tests.authenticate_as('csm_a');
select throws_ok(format($$ select public.create_workflow_execution(%L, 'test-flow') $$, tests.row_id('customers', 'a')),
                 'PT409', 'A "Test flow" workflow is already open for Acme', 'through the API it is PT409 with a readable message');

select tests.authenticate_as('manager_a');
select isnt_empty(format($$ update app.workflow_executions set status = 'completed', completed_at = now() where id = %L returning 1 $$,
                         tests.row_id('workflow_executions', 'mine')), 'the open execution is completed');
select is(tests.violation(format(
            $$ insert into app.workflow_executions (org_id, customer_id, workflow_id, workflow_version_id)
               select org_id, customer_id, workflow_id, workflow_version_id from app.workflow_executions where id = %L $$,
            tests.row_id('workflow_executions', 'mine'))),
          'no error', 'then a new one may open');
select is((select count(*)::int from app.workflow_executions where customer_id = tests.row_id('customers', 'a') and status = 'queued'), 1,
          'exactly one is open');

select * from finish();
rollback;
