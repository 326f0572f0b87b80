-- customers: members read their organisation's; only managers and admins write;
-- viewer and csm writes are refused or silently match nothing; other organisations are out of reach.
begin;
select plan(14);
select tests.create_rls_world();

select tests.authenticate_as('viewer_a');
select is((select count(*)::int from app.customers), 3, 'viewer reads their organisation''s customers only');
select is_empty($$ update app.customers set name = 'Renamed' returning 1 $$, 'viewer: update matches nothing');
select is_empty($$ delete from app.customers returning 1 $$, 'viewer: delete matches nothing');
select throws_ok($$ insert into app.customers (org_id, name) values (app.current_org_id(), 'New') $$, '42501', null, 'viewer: insert is refused');

select tests.authenticate_as('csm_a');
select is((select count(*)::int from app.customers), 3, 'csm reads their organisation''s customers');
select is_empty($$ update app.customers set name = 'Renamed' returning 1 $$, 'csm: update matches nothing (customers are managed data)');
select throws_ok($$ insert into app.customers (org_id, name) values (app.current_org_id(), 'New') $$, '42501', null, 'csm: insert is refused');

select tests.authenticate_as('manager_a');
select lives_ok($$ insert into app.customers (org_id, name, arr, health_score) values (app.current_org_id(), 'New', 200000, 90) $$, 'manager: insert works');
select is((select account_plan from app.customers where name = 'New'), 'expand', 'manager: the trigger derives the plan');
select isnt_empty($$ update app.customers set health_score = 10 where name = 'New' returning 1 $$, 'manager: update works');
select isnt_empty($$ delete from app.customers where name = 'New' returning 1 $$, 'manager: delete works');
select throws_ok(format($$ insert into app.customers (org_id, name) values (%L, 'Planted') $$, tests.org_id('Org B')), '42501', null,
                 'manager: insert into another organisation is refused');

select tests.authenticate_as('admin_b');
select is_empty(format($$ update app.customers set name = 'Hijacked' where id = %L returning 1 $$, tests.row_id('customers', 'a')),
                'another organisation''s admin: update matches nothing');

select tests.clear_authentication();
select is((select name from app.customers where id = tests.row_id('customers', 'a')), 'Acme', 'org A''s customer is untouched');

select * from finish();
rollback;
