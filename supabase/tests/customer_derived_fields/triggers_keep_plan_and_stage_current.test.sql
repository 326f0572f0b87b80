-- Inserting or changing a customer's inputs re-derives account_plan and renewal_stage.
begin;
select plan(9);

select tests.create_organisation('Derived') as org_id \gset

insert into app.customers (org_id, name, arr, health_score, renewal_date, account_plan, renewal_stage)
values (:'org_id', 'Acme', 200000, 80, (now() at time zone 'UTC')::date + 10, 'monitor', 'Monitor')
returning id as customer_id \gset

select is((select account_plan from app.customers where id = :'customer_id'), 'expand', 'insert derives the plan (a supplied plan is ignored)');
select is((select renewal_stage from app.customers where id = :'customer_id'), 'Critical', 'insert derives the stage (a supplied stage is ignored)');

update app.customers set arr = 60000 where id = :'customer_id';
select is((select account_plan from app.customers where id = :'customer_id'), 'invest', 'an ARR change re-derives the plan');

update app.customers set health_score = 40 where id = :'customer_id';
select is((select account_plan from app.customers where id = :'customer_id'), 'monitor', 'a health change re-derives the plan');

update app.customers set account_plan = 'expand' where id = :'customer_id';
select is((select account_plan from app.customers where id = :'customer_id'), 'monitor', 'the plan cannot be hand-set');

update app.customers set renewal_date = (now() at time zone 'UTC')::date - 1 where id = :'customer_id';
select is((select renewal_stage from app.customers where id = :'customer_id'), 'Overdue', 'a renewal date change re-derives the stage');

update app.customers set renewal_date = null where id = :'customer_id';
select is((select renewal_stage from app.customers where id = :'customer_id'), null, 'no renewal date, no stage');

update app.customers set name = 'Acme Corp', renewal_date = (now() at time zone 'UTC')::date + 200 where id = :'customer_id';
select is((select renewal_stage from app.customers where id = :'customer_id'), 'Monitor', 'stage follows the new date');

select ok((select updated_at from app.customers where id = :'customer_id') is not null
          and (select updated_at >= created_at from app.customers where id = :'customer_id'),
          'updated_at is maintained');

select * from finish();
rollback;
