-- anon may not call it at all; a signed-in user with no profile (no organisation) gets
-- PT404 and no row is created.
begin;
select plan(4);
select tests.create_supabase_user('stranger');

select tests.authenticate_as_anon();
select throws_ok($$ select public.get_user_preferences() $$, '42501', null, 'anon is refused');

select tests.authenticate_as('stranger');
select throws_ok($$ select public.get_user_preferences() $$, 'PT404', 'No profile for the signed-in user',
                 'a user without a profile gets PT404');

select tests.clear_authentication();
select is_empty(format($$ select 1 from app.user_preferences where user_id = %L $$, tests.get_supabase_uid('stranger')),
                'no row was created for them');
select ok(not has_function_privilege('anon', 'public.get_user_preferences()', 'execute'), 'anon has no execute privilege');

select * from finish();
rollback;
