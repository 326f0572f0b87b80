-- Health, risk and opportunity scores are percentages: 101 or -1 fails with 23514 (check
-- violation; PostgREST answers 400, like 22023) naming the rule's constraint, while the
-- edges 0 and 100 are accepted. Written as a manager, who may change customers.
begin;
select plan(7);
select tests.create_rls_world();

select tests.authenticate_as('manager_a');
select is(tests.violation(format($$ update app.customers set health_score = 101 where id = %L $$, tests.row_id('customers', 'a'))),
          '23514 customers_health_score_is_percentage', 'health 101 is refused by name');
select is(tests.violation(format($$ update app.customers set health_score = -1 where id = %L $$, tests.row_id('customers', 'a'))),
          '23514 customers_health_score_is_percentage', 'health -1 is refused by name');
select is(tests.violation(format($$ update app.customers set risk_score = 101 where id = %L $$, tests.row_id('customers', 'a'))),
          '23514 customers_risk_score_is_percentage', 'risk 101 is refused by name');
select is(tests.violation(format($$ update app.customers set opportunity_score = -1 where id = %L $$, tests.row_id('customers', 'a'))),
          '23514 customers_opportunity_score_is_percentage', 'opportunity -1 is refused by name');
select is(tests.violation($$ insert into app.customers (org_id, name, health_score) values (app.current_org_id(), 'Too healthy', 101) $$),
          '23514 customers_health_score_is_percentage', 'a new customer with health 101 is refused by name');
select is(tests.violation(format($$ update app.customers set health_score = 100, risk_score = 0, opportunity_score = 100 where id = %L $$, tests.row_id('customers', 'a'))),
          'no error', 'the edges 0 and 100 are accepted');
select is((select health_score from app.customers where id = tests.row_id('customers', 'a')), 100, 'and stored');

select * from finish();
rollback;
