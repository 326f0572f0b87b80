-- ARR and contract values are never negative: a negative amount fails with 23514 (check
-- violation; PostgREST answers 400, like 22023) naming the rule's constraint; zero is fine.
begin;
select plan(5);
select tests.create_rls_world();
-- What a statement fails with: its SQLSTATE and the constraint it names, and whether the
-- message (what PostgREST shows as `message`) says that name too.
create function pg_temp.violation(statement text)
returns text
language plpgsql
as $fn$
declare
  state text;
  name text;
  message text;
begin
  execute statement;
  return 'no error';
exception when others then
  get stacked diagnostics state = returned_sqlstate, name = constraint_name, message = message_text;
  return concat_ws(' ', state, nullif(name, ''),
                   case when name <> '' and position(name in message) = 0 then '(the message does not name it)' end);
end;
$fn$;
grant execute on function pg_temp.violation(text) to authenticated;

select tests.authenticate_as('manager_a');
select is(pg_temp.violation(format($$ update app.customers set arr = -1 where id = %L $$, tests.row_id('customers', 'a'))),
          '23514 customers_arr_is_not_negative', 'a customer''s negative ARR is refused by name');
select is(pg_temp.violation(format($$ insert into app.arr_history (org_id, customer_id, arr) values (app.current_org_id(), %L, -0.01) $$, tests.row_id('customers', 'a'))),
          '23514 arr_history_arr_is_not_negative', 'a negative ARR in the history is refused by name');
select is(pg_temp.violation(format($$ insert into app.contracts (org_id, customer_id, start_date, annual_value) values (app.current_org_id(), %L, current_date, -5) $$, tests.row_id('customers', 'a'))),
          '23514 contracts_annual_value_is_not_negative', 'a contract with a negative value is refused by name');
select is(pg_temp.violation(format($$ update app.customers set arr = 0 where id = %L $$, tests.row_id('customers', 'a'))),
          'no error', 'zero ARR is accepted');
select is((select account_plan from app.customers where id = tests.row_id('customers', 'a')), 'manage', 'and the plan follows it');

select * from finish();
rollback;
