-- A page size outside 1–200 or a cursor that was not given out by list_customers is 22023
-- naming the argument.
begin;
select plan(4);
select tests.create_rls_world();
select tests.authenticate_as('csm_a');

select throws_ok($$ select public.list_customers(page_size => 0) $$, '22023', 'page_size must be between 1 and 200', 'page size 0');
select throws_ok($$ select public.list_customers(page_size => 201) $$, '22023', 'page_size must be between 1 and 200', 'page size 201');
select throws_ok($$ select public.list_customers(cursor => 'not-a-cursor') $$, '22023', 'cursor is not valid', 'garbage cursor');
select throws_ok($$ select public.list_customers(cursor => encode(convert_to('{"a": 1}', 'UTF8'), 'base64')) $$, '22023',
  'cursor is not valid', 'well-formed base64 of something else');

select * from finish();
rollback;
