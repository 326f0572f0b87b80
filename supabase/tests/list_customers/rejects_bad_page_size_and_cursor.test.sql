-- A page size outside 1–200 or a cursor that was not given out by list_customers (garbage,
-- or forged keys the page could not cast) is 22023 naming the argument.
begin;
select plan(7);
select tests.create_rls_world();
select tests.authenticate_as('csm_a');

select throws_ok($$ select public.list_customers(page_size => 0) $$, '22023', 'page_size must be between 1 and 200', 'page size 0');
select throws_ok($$ select public.list_customers(page_size => 201) $$, '22023', 'page_size must be between 1 and 200', 'page size 201');
select throws_ok($$ select public.list_customers(cursor => 'not-a-cursor') $$, '22023', 'cursor is not valid', 'garbage cursor');
select throws_ok($$ select public.list_customers(cursor => encode(convert_to('{"a": 1}', 'UTF8'), 'base64')) $$, '22023',
  'cursor is not valid', 'well-formed base64 of something else');
-- Forged keys where the page casts a number: an invalid cursor, not an overflow.
select throws_ok($$ select public.list_customers(cursor => encode(convert_to('{"k": ["1e400", "72000.00", "' || gen_random_uuid() || '"], "s": "priority"}', 'UTF8'), 'base64')) $$,
  '22023', 'cursor is not valid', 'an integer key of 1e400');
select throws_ok($$ select public.list_customers(cursor => encode(convert_to('{"k": ["NaN", "NaN", "' || gen_random_uuid() || '"], "s": "priority"}', 'UTF8'), 'base64')) $$,
  '22023', 'cursor is not valid', 'an integer key of NaN');
select throws_ok($$ select public.list_customers(sort => 'health', cursor => encode(convert_to('{"k": ["100000000000000000000", null, "' || gen_random_uuid() || '"], "s": "health"}', 'UTF8'), 'base64')) $$,
  '22023', 'cursor is not valid', 'a health key beyond an integer');

select * from finish();
rollback;
