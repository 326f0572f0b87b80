-- check_invited_person says whether Auth holds a user with the address (has_account,
-- app.address_has_account, migration 20261210202000): invite-person asks before and after a
-- failed Auth call, and an address held now and not before was being made by a request sent at
-- the same time, a conflict (409), not Auth being down (502). The helper reads auth.users for
-- one address and answers yes or no, to the service role only.
begin;
select plan(5);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select tests.authenticate_as_service_role();
select is(public.check_invited_person(:'admin', 'dana@contoso.example', 'Dana', 'csm') -> 'has_account', 'false'::jsonb,
  'an address Auth does not hold: has_account false');
select tests.clear_authentication();
-- Invited in Auth by another request, its profile not written yet.
select tests.create_supabase_user('dana', 'dana@contoso.example') is not null as made \gset
select tests.authenticate_as_service_role();
select is(public.check_invited_person(:'admin', 'Dana@Contoso.example', 'Dana', 'csm') -> 'has_account', 'true'::jsonb,
  'once Auth holds it (in any case): has_account true, the invitation itself still passes');
select tests.clear_authentication();
select ok(not has_function_privilege('authenticated', 'app.address_has_account(text)', 'execute'), 'signed-in people cannot ask it');
select ok(not has_function_privilege('anon', 'app.address_has_account(text)', 'execute'), 'nor anon');
select ok(has_function_privilege('service_role', 'app.address_has_account(text)', 'execute'), 'the service role can');

select * from finish();
rollback;
