-- Reading preferences is a read once the caller's row exists: it works in a read-only
-- transaction (a GET through the API runs READ ONLY; before migration 20261206210000 every
-- call also tried an INSERT and failed there). Only the very first call writes the
-- (empty) row.
begin;
select plan(3);
select tests.create_rls_world();

select tests.authenticate_as('csm_a');
select public.update_user_preferences('{"ui": {"theme": "dark"}}'::jsonb);

savepoint read_only;
set local transaction_read_only = on;
select is((public.get_user_preferences() -> 'ui' ->> 'theme'), 'dark',
          'a read-only transaction reads the stored preferences');
rollback to savepoint read_only;

select is((public.get_user_preferences() -> 'ui' ->> 'theme'), 'dark', 'a read-write one answers the same');

-- A person with no row yet: the first read still creates it (read-write, as before).
select tests.authenticate_as('csm_b');
select public.get_user_preferences();
select tests.clear_authentication();
select isnt_empty($$ select 1 from app.user_preferences where user_id = tests.get_supabase_uid('csm_b') $$,
                  'the first read of a person without a row creates it');

select * from finish();
rollback;
