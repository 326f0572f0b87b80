-- A task's idempotency key is the same request only from the same agent, or none, as a logged
-- entry's is (docs/agents.md "Who logged it"): the person's own create_task under the key an
-- agent's task was made with is PT409, never answered with the agent's task as their own, and
-- the agent's retry still answers its task. (migration 20261215400400)
begin;
select plan(4);
set client_min_messages = warning;
select tests.create_rls_world();
select tests.row_id('workflow_executions', 'mine') as exec \gset
select customer_id as cust from app.workflow_executions where id = :'exec' \gset
select (current_date + 7)::text as due \gset

select tests.authenticate_as('csm_a');
select tests.act_as_agent('Renewal Bot');
select public.create_task('Send the renewal deck', :'cust', due_date => :'due', idempotency_key => 'task-key-1') as agents_task \gset
select is(public.create_task('Send the renewal deck', :'cust', due_date => :'due', idempotency_key => 'task-key-1') ->> 'id',
  :'agents_task'::jsonb ->> 'id', 'the agent''s retry answers its task');
select tests.act_as_agent('Another Bot');
select throws_ok(format($$select public.create_task('Send the renewal deck', %L, due_date => %L, idempotency_key => 'task-key-1')$$, :'cust', :'due'),
  'PT409', 'this key was used for a different request', 'another agent''s call under the key is another request');
select tests.act_as_agent(null);
select throws_ok(format($$select public.create_task('Send the renewal deck', %L, due_date => %L, idempotency_key => 'task-key-1')$$, :'cust', :'due'),
  'PT409', 'this key was used for a different request', 'and so is the person''s own');
select is((select count(*)::int from app.workflow_tasks where title = 'Send the renewal deck'), 1, 'one task was made');
select * from finish();
rollback;
