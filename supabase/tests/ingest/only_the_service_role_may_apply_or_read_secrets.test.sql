-- The ingest RPCs belong to the signed Edge Function (service role): no user, not even an
-- admin, and not anon may call them.
begin;
select plan(6);
select tests.create_rls_world();

select tests.authenticate_as('admin_a');
select throws_ok(format($$ select public.ingest_apply_batch(%L, 'x', '[]'::jsonb) $$, tests.org_id('Org A')), '42501', null,
  'an admin cannot apply a batch directly');
select throws_ok($$ select public.ingest_webhook_secrets('x') $$, '42501', null, 'nor read the signing secrets through it');
select tests.authenticate_as_anon();
select throws_ok(format($$ select public.ingest_apply_batch(%L, 'x', '[]'::jsonb) $$, tests.org_id('Org A')), '42501', null,
  'anon cannot apply a batch');
select throws_ok($$ select public.ingest_webhook_secrets('x') $$, '42501', null, 'nor read secrets');

select tests.authenticate_as_service_role();
select throws_ok(format($$ select public.ingest_apply_batch(%L, 'x', '[]'::jsonb) $$, tests.org_id('Org A')), '22023',
  'events must be a non-empty array', 'the service role can (an empty batch is refused)');
select throws_ok($$ select public.ingest_apply_batch(gen_random_uuid(), 'x', '[{"type": "note", "data": {}}]'::jsonb) $$, 'PT404',
  'Organisation not found', 'an unknown organisation is PT404');

select * from finish();
rollback;
