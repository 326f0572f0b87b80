-- Globex Analytics has data of its own, and its people see only theirs (and Acme's people
-- see none of it): the seed makes isolation visible.
begin;
select plan(5);

select is(
  (select count(*)::int from app.customers c join app.organisations o on o.id = c.org_id where o.slug = 'globex-analytics'),
  5, 'Globex has five customers of its own'
);

select ok(
  (select count(*) from app.engagement_events e join app.organisations o on o.id = e.org_id where o.slug = 'globex-analytics') > 0
  and (select count(*) from app.usage_snapshots u join app.organisations o on o.id = u.org_id where o.slug = 'globex-analytics') > 0,
  'Globex customers have history'
);

-- As Gus (Globex csm): only Globex customers are visible.
select set_config('role', 'authenticated', true);
select set_config('request.jwt.claims', json_build_object(
  'sub', 'b0000000-0000-4000-8000-000000000002', 'role', 'authenticated', 'email', 'gus.csm@globex.test')::text, true);

select results_eq(
  $$ select distinct o.slug from app.customers c join app.organisations o on o.id = c.org_id $$,
  $$ values ('globex-analytics'::text) $$,
  'Gus sees Globex customers only'
);

select is_empty(
  $$ select 1 from app.customers c where c.name = 'Contoso Retail' $$,
  'Gus cannot see an Acme customer'
);

-- As Sam (Acme csm): no Globex customer.
select set_config('request.jwt.claims', json_build_object(
  'sub', 'a0000000-0000-4000-8000-000000000003', 'role', 'authenticated', 'email', 'sam.csm@acme.test')::text, true);

select is_empty(
  $$ select 1 from app.customers c where c.name in ('Initech', 'Umbrella Labs', 'Hooli', 'Soylent Foods', 'Vandelay Industries') $$,
  'Sam cannot see Globex customers'
);

select * from finish();
rollback;
