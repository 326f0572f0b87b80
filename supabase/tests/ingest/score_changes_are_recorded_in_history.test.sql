-- Every inserted customer and every change of health, risk or opportunity score is
-- recorded in app.customer_score_history, whoever makes it; other updates record nothing.
-- Members read it; nobody writes it directly.
begin;
select plan(5);
select tests.create_rls_world();

select is((select count(*)::int from app.customer_score_history where customer_id = tests.row_id('customers', 'a')), 1,
  'a new customer has its first snapshot');
update app.customers set health_score = 55 where id = tests.row_id('customers', 'a');
update app.customers set name = 'Acme Corp' where id = tests.row_id('customers', 'a');
select is((select count(*)::int from app.customer_score_history where customer_id = tests.row_id('customers', 'a')), 2,
  'a score change adds one, a name change none');
select ok(exists (select 1 from app.customer_score_history where customer_id = tests.row_id('customers', 'a') and health_score = 55),
  'with the new score');

select tests.authenticate_as('viewer_a');
select is((select count(*)::int from app.customer_score_history where customer_id = tests.row_id('customers', 'a')), 2, 'members read it');
select throws_ok(format($$ insert into app.customer_score_history (org_id, customer_id, health_score) values (%L, %L, 1) $$,
                        tests.org_id('Org A'), tests.row_id('customers', 'a')), '42501', null, 'nobody forges history');

select * from finish();
rollback;
