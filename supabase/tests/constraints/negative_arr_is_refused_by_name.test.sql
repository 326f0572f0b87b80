-- ARR and contract values are never negative: a negative amount fails with 23514 (check
-- violation; PostgREST answers 400, like 22023) naming the rule's constraint; zero is fine.
begin;
select plan(5);
select tests.create_rls_world();

select tests.authenticate_as('manager_a');
select is(tests.violation(format($$ update app.customers set arr = -1 where id = %L $$, tests.row_id('customers', 'a'))),
          '23514 customers_arr_is_not_negative', 'a customer''s negative ARR is refused by name');
select is(tests.violation(format($$ insert into app.arr_history (org_id, customer_id, arr) values (app.current_org_id(), %L, -0.01) $$, tests.row_id('customers', 'a'))),
          '23514 arr_history_arr_is_not_negative', 'a negative ARR in the history is refused by name');
select is(tests.violation(format($$ insert into app.contracts (org_id, customer_id, start_date, annual_value) values (app.current_org_id(), %L, current_date, -5) $$, tests.row_id('customers', 'a'))),
          '23514 contracts_annual_value_is_not_negative', 'a contract with a negative value is refused by name');
select is(tests.violation(format($$ update app.customers set arr = 0 where id = %L $$, tests.row_id('customers', 'a'))),
          'no error', 'zero ARR is accepted');
select is((select account_plan from app.customers where id = tests.row_id('customers', 'a')), 'manage', 'and the plan follows it');

select * from finish();
rollback;
