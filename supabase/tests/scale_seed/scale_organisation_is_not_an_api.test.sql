-- The scale generator is for the CLI and benchmarks: only postgres and service_role may
-- call it, and a nonsensical size is refused with 22023 naming the argument.
begin;
-- The generator is local tooling, not a migration: install it inside this transaction.
\set QUIET on
\ir ../../../local/scale-seed.sql
\set QUIET off
select plan(5);

select ok(not has_function_privilege('anon', 'app.seed_scale_organisation(integer)', 'execute'), 'anon may not call it');
select ok(not has_function_privilege('authenticated', 'app.seed_scale_organisation(integer)', 'execute'), 'authenticated may not call it');
select ok(has_function_privilege('service_role', 'app.seed_scale_organisation(integer)', 'execute'), 'service_role may call it');

select throws_ok($$ select app.seed_scale_organisation(0) $$, '22023', null, 'zero customers is refused');
select throws_like($$ select app.seed_scale_organisation(null) $$, '%customers%', 'the message names the argument');

select * from finish();
rollback;
