-- Keyset pagination: following next_cursor visits every customer of the organisation
-- exactly once, in name order, and the last page has no next_cursor.
begin;
select plan(5);
select tests.create_rls_world();
insert into app.customers (org_id, name, external_id)
select tests.org_id('Org A'), format('Paged %s', lpad(n::text, 2, '0')), format('P-%s', n)
  from generate_series(1, 7) as n;
-- Two customers with the same name: the id breaks the tie, neither is skipped.
insert into app.customers (org_id, name) values (tests.org_id('Org A'), 'paged 03');

select tests.authenticate_as('csm_a');
create temporary table pages (n int, page jsonb) on commit drop;
do $$
declare
  cursor_ text := null;
  page jsonb;
  n int := 0;
begin
  loop
    page := public.list_customers(page_size => 3, cursor => cursor_, sort => 'name');
    n := n + 1;
    insert into pages values (n, page);
    cursor_ := page ->> 'next_cursor';
    exit when cursor_ is null or n > 20;
  end loop;
end;
$$;

select is((select count(*)::int from pages, jsonb_array_elements(page -> 'items')),
  (select count(*)::int from app.customers where org_id = tests.org_id('Org A')), 'every customer is listed');
select is((select count(distinct i ->> 'id')::int from pages, jsonb_array_elements(page -> 'items') i),
  (select count(*)::int from app.customers where org_id = tests.org_id('Org A')), 'none twice');
select is((select array_agg(i ->> 'name' order by p.n, o) from pages p, jsonb_array_elements(p.page -> 'items') with ordinality as x(i, o)),
  (select array_agg(c.name order by lower(c.name), c.id) from app.customers c where c.org_id = tests.org_id('Org A')),
  'in name order, across pages');
select is((select page -> 'next_cursor' from pages order by n desc limit 1), 'null'::jsonb, 'the last page has no next cursor');
select ok((select bool_and(jsonb_array_length(page -> 'items') <= 3) from pages), 'no page is larger than asked');

select * from finish();
rollback;
