-- The page-size rule of the paged RPCs is written once (app.check_page_size): 22023 unless
-- 1 ≤ page_size ≤ the RPC's maximum, with the RPC's hint when it has one; no other function
-- spells the rule out (the queue's get_workflow_queue, in the workflows file, is the one
-- left to move over).
begin;
select plan(8);

select is(
  (select array_agg(p.oid::regprocedure::text order by 1)
     from pg_proc p
    where p.pronamespace in ('app'::regnamespace, 'public'::regnamespace)
      and p.prosrc ~ 'page_size must be between'
      and p.oid <> 'app.check_page_size(integer,integer,text)'::regprocedure
      and p.proname <> 'get_workflow_queue'),
  null,
  'no function but app.check_page_size spells out the page-size rule');
select ok(
  (select count(*) from pg_proc p where p.pronamespace = 'public'::regnamespace
      and p.prosrc ~ 'app\.check_page_size\(') >= 8,
  'the paged RPCs call it');

select throws_ok($$ select app.check_page_size(0) $$, '22023', 'page_size must be between 1 and 200', 'zero is refused');
select throws_ok($$ select app.check_page_size(null) $$, '22023', 'page_size must be between 1 and 200', 'null is refused');
select throws_ok($$ select app.check_page_size(501, 500, 'Leave page_size out for 100.') $$, '22023',
  'page_size must be between 1 and 500', 'above the RPC''s own maximum is refused');
select lives_ok($$ select app.check_page_size(200), app.check_page_size(1), app.check_page_size(500, 500) $$, 'the bounds are allowed');

select tests.create_rls_world();
select tests.authenticate_as('csm_a');
select throws_ok($$ select public.list_notifications(page_size => 201) $$, '22023', 'page_size must be between 1 and 200',
  'an RPC answers with the rule');
create function pg_temp.hint_of(sql text) returns text language plpgsql as $$
begin execute sql; return null; exception when others then
  declare h text; begin get stacked diagnostics h = pg_exception_hint; return h; end;
end $$;
select is(pg_temp.hint_of($$ select public.list_customers(page_size => 0) $$),
  'Ask for at most 200 customers per page and follow next_cursor.', 'with the RPC''s own hint');

select * from finish();
rollback;
