-- Admins create, list and revoke their organisation's webhook secrets; a secret is shown in
-- full only when created; a revoked secret stops verifying at once, or after a grace
-- period during which old and new both verify (rotation). Other roles may not.
begin;
select plan(9);
select tests.create_rls_world();

select tests.authenticate_as('admin_a');
select set_config('tests.made', public.create_webhook_secret('crm')::text, true) is not null as created;
select ok(current_setting('tests.made')::jsonb ->> 'secret' ~ '^whsec_[A-Za-z0-9+/]{43}=$', 'a new secret: whsec_ and 32 random bytes');
select is((select jsonb_array_length(public.list_webhook_secrets())), 1, 'listed');
select ok(not (public.list_webhook_secrets() -> 0 ? 'secret'), 'the list never shows a full secret');

select tests.authenticate_as('csm_a');
select throws_ok($$ select public.create_webhook_secret('x') $$, '42501', 'Only admins manage webhook secrets', 'a csm may not create one');
select throws_ok($$ select public.list_webhook_secrets() $$, '42501', 'Only admins manage webhook secrets', 'nor list them');

select tests.authenticate_as('admin_a');
select set_config('tests.newer', public.create_webhook_secret('crm-2026')::text, true) is not null as created;
select public.revoke_webhook_secret((current_setting('tests.made')::jsonb ->> 'id')::uuid, grace_period_minutes => 60);
select tests.authenticate_as_service_role();
select is(jsonb_array_length(public.ingest_webhook_secrets((select slug from app.organisations where id = tests.org_id('Org A'))) -> 'secrets'), 2,
  'during the grace period both secrets verify');

select tests.authenticate_as('admin_a');
select public.revoke_webhook_secret((current_setting('tests.made')::jsonb ->> 'id')::uuid);
select tests.authenticate_as_service_role();
select is(public.ingest_webhook_secrets(tests.org_id('Org A')::text) -> 'secrets',
  jsonb_build_array(current_setting('tests.newer')::jsonb ->> 'secret'), 'revoked now: only the new one verifies (the org may be named by id)');

select tests.authenticate_as('admin_b');
select throws_ok(format($$ select public.revoke_webhook_secret(%L) $$, current_setting('tests.newer')::jsonb ->> 'id'), 'PT404', 'Webhook secret not found',
  'an admin of another organisation cannot touch it');
select tests.authenticate_as_service_role();
select is(public.ingest_webhook_secrets('no-such-org'), null, 'an unknown organisation has no secrets');

select * from finish();
rollback;
