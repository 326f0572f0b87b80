-- Deleting a customer (or, through it, an organisation: tests/integration/forecast.test.ts
-- removes its whole organisation) takes the executions with it. The orchestrator's marks
-- for changed customers must not be written for what is being deleted: such a mark would
-- point at an organisation that is going away and fail its foreign key.
begin;
select plan(3);
select tests.create_rls_world();

create temporary table marks_before on commit drop as
  select tests.row_id('customers', 'a') as customer_id,
         (select count(*)::int from app.orchestrator_dirty_customers where customer_id = tests.row_id('customers', 'a')) as n;

select ok(
  exists (select 1 from app.workflow_executions where customer_id = tests.row_id('customers', 'a')),
  'customer a has executions that go with it'
);

select lives_ok(
  format('delete from app.customers where id = %L', tests.row_id('customers', 'a')),
  'a customer with executions can be deleted'
);

select is(
  (select count(*)::int from app.orchestrator_dirty_customers d, marks_before b where d.customer_id = b.customer_id),
  (select n from marks_before),
  'deleting its executions marked nothing for the deleted customer'
);

select * from finish();
rollback;
