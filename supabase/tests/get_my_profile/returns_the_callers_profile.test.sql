-- get_my_profile returns the caller's own profile and organisation; without a profile it is PT404; anon may not call it.
begin;
select plan(4);
select tests.create_rls_world();

select tests.authenticate_as('csm_a');
select is(public.get_my_profile() ->> 'role', 'csm', 'returns the caller''s role');
select is(public.get_my_profile() ->> 'org_name', 'Org A', 'returns the organisation''s name');

select tests.clear_authentication();
select tests.create_supabase_user('nobody');
select tests.authenticate_as('nobody');
select throws_ok($$ select public.get_my_profile() $$, 'PT404', 'No profile for the signed-in user', 'a user without a profile gets PT404');

select tests.authenticate_as_anon();
select throws_ok($$ select public.get_my_profile() $$, '42501', null, 'anon cannot call it');

select * from finish();
rollback;
