-- anon may not change preferences: no execute privilege, 42501.
begin;
select plan(2);

select tests.authenticate_as_anon();
select throws_ok($$ select public.update_user_preferences('{"ui": {"theme": "dark"}}') $$, '42501', null, 'anon is refused');
select tests.clear_authentication();
select ok(not has_function_privilege('anon', 'public.update_user_preferences(jsonb)', 'execute'), 'anon has no execute privilege');

select * from finish();
rollback;
