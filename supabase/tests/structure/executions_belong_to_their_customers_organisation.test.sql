-- An execution's organisation is its customer's, checked by one key (migration
-- 20261210101000, docs/performance.md 7 Dec 2026): (customer_id, org_id) -> customers
-- (id, org_id), both columns not null, with the customer's own key to its organisation.
-- A second key on org_id alone checked the same thing again on every execution written.
-- Then the guarantees that key gave, kept: no execution in another organisation than its
-- customer's or in none, and deleting an organisation takes its executions (and only its).
begin;
select plan(9);
set client_min_messages = warning;

select is_empty(
  $$ select c.conname from pg_constraint c
      where c.conrelid = 'app.workflow_executions'::regclass and c.contype = 'f'
        and c.confrelid = 'app.organisations'::regclass $$,
  'no second key from an execution to its organisation (its customer''s key checks it)');
select is(
  (select format('%s -> %s, on delete %s, deferrable %s', pg_get_constraintdef(c.oid) ~ '^FOREIGN KEY \(customer_id, org_id\) REFERENCES app\.customers\(id, org_id\)',
                 c.confrelid::regclass, c.confdeltype, c.condeferrable)
     from pg_constraint c
    where c.conrelid = 'app.workflow_executions'::regclass and c.conname = 'workflow_executions_customer_is_in_organisation'),
  't -> app.customers, on delete c, deferrable f',
  'an execution''s (customer_id, org_id) is its customer''s, checked on every statement, and goes with it');
select is(
  (select array_agg(a.attname::text order by a.attname) from pg_attribute a
    where a.attrelid = 'app.workflow_executions'::regclass and a.attname in ('customer_id', 'org_id') and a.attnotnull),
  array['customer_id', 'org_id'],
  'an execution always has a customer and an organisation, so the key is never skipped');
select is(
  (select format('not null %s, on delete %s', a.attnotnull, c.confdeltype)
     from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
    where c.conrelid = 'app.customers'::regclass and c.contype = 'f' and c.confrelid = 'app.organisations'::regclass),
  'not null t, on delete c',
  'a customer''s organisation exists and takes its customers with it');

-- The behaviour.
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, domain, arr, health_score, renewal_date, risk_score, assigned_to)
select :'org', 'Keyed ' || g, 'keyed' || g || '.example', 20000, 70, :'today'::date + 20 + g, 70, :'csm'
  from generate_series(1, 3) g;
insert into app.customers (org_id, name, domain, arr, health_score, renewal_date, risk_score, assigned_to)
values (:'other_org', 'Other keyed', 'other-keyed.example', 20000, 70, :'today'::date + 25, 70, :'other_csm');
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select app.run_orchestrator_for_org(:'other_org') is not null as ran \gset
select e.id as execution from app.workflow_executions e join app.customers c on c.id = e.customer_id
 where c.name = 'Keyed 1' limit 1 \gset
select count(*) as other_work from app.workflow_executions where org_id = :'other_org' \gset
select ok(:other_work > 0, 'the other organisation has executions');

select is(tests.violation(format('update app.workflow_executions set org_id = %L where id = %L', :'other_org', :'execution')),
          '23503 workflow_executions_customer_is_in_organisation',
          'an execution moved to another organisation than its customer''s is refused');
select is(tests.violation(format('update app.workflow_executions set org_id = %L where id = %L', gen_random_uuid(), :'execution')),
          '23503 workflow_executions_customer_is_in_organisation',
          'an execution in no organisation is refused');

delete from app.organisations where id = :'org';
select is((select count(*) from app.workflow_executions where org_id = :'org'), 0::bigint,
          'deleting an organisation deletes its executions');
select is((select count(*) from app.workflow_executions where org_id = :'other_org'), :other_work::bigint,
          'and leaves the other organisation''s');

select * from finish();
rollback;
