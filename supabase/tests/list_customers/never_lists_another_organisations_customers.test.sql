-- list_customers shows the caller's organisation only, even when searching for another
-- organisation's customer by name or external id; anon may not call it.
begin;
select plan(4);
select tests.create_rls_world();

select tests.authenticate_as('csm_a');
select ok(not exists (
  select 1 from jsonb_array_elements(public.list_customers(page_size => 200) -> 'items') i where i ->> 'name' = 'Bolt'
), 'org B''s customer is not listed for org A');
select is(public.list_customers(search => 'B-1') -> 'items', '[]'::jsonb, 'nor found by its external id');

select tests.authenticate_as('csm_b');
select is((select array_agg(i ->> 'name') from jsonb_array_elements(public.list_customers() -> 'items') i),
  array['Bolt'], 'org B sees only its own');

select tests.authenticate_as_anon();
select throws_ok($$ select public.list_customers() $$, '42501', null, 'anon may not call it');

select * from finish();
rollback;
