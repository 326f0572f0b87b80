-- Webhook secrets from the Integrations page: an admin creates one (the whole secret shown
-- once, then only its prefix), rotates it (the old one keeps verifying for the overlap,
-- then stops) and revokes one (it stops at once); managers and other organisations cannot;
-- every change is audited by prefix, never the secret.
begin;
select plan(16);
set client_min_messages = warning;
select tests.create_organisation('Hooks Org') as org \gset
select slug from app.organisations where id = :'org' \gset
select tests.create_member('wh_admin', :'org', 'admin') as admin \gset
select tests.create_member('wh_manager', :'org', 'manager') as manager \gset
select tests.create_organisation('Hooks Other') as other_org \gset
select tests.create_member('wh_other_admin', :'other_org', 'admin') as other_admin \gset

select tests.authenticate_as('wh_admin');
select public.create_webhook_secret('CRM') as created \gset
select ok(not exists (select 1 from jsonb_array_elements(public.list_webhook_secrets()) s where s ? 'secret'),
          'the list never holds a secret');
select is((select l.after ->> 'secret_prefix' from app.admin_audit_log l where l.entity = 'webhook_secret' and l.action = 'create'),
          left(:'created'::jsonb ->> 'secret', 12), 'the creation is audited by prefix');

select public.rotate_webhook_secret((:'created'::jsonb ->> 'id')::uuid, 2) as rotated \gset
select ok((:'rotated'::jsonb -> 'secret' ->> 'secret') ~ '^whsec_', 'the new secret is shown whole, once');
select is(:'rotated'::jsonb -> 'secret' ->> 'label', 'CRM', 'with the old one''s label');
select ok((:'rotated'::jsonb -> 'previous' ->> 'expires_at')::timestamptz between now() + interval '119 minutes' and now() + interval '121 minutes',
          'the old one ends after the stated overlap');
select tests.authenticate_as_service_role();
select is((select jsonb_array_length(public.ingest_webhook_secrets(:'slug') -> 'secrets')), 2, 'both verify during the overlap');
select tests.authenticate_as('wh_admin');
select is((select array_agg(l.action order by l.id) from app.admin_audit_log l where l.entity = 'webhook_secret'),
          array['create', 'expire_later', 'create'], 'the rotation is audited: the old one''s end date and the new one');
select ok(not exists (select 1 from app.admin_audit_log l where l::text like '%' || (:'created'::jsonb ->> 'secret') || '%'
                         or l::text like '%' || (:'rotated'::jsonb -> 'secret' ->> 'secret') || '%'),
          'the audit log never holds a secret');
select throws_ok(format($$ select public.rotate_webhook_secret(%L) $$, :'created'::jsonb ->> 'id'), 'PT409', null,
                 'a secret that is already ending is not rotated again');
select throws_ok(format($$ select public.rotate_webhook_secret(%L, 500) $$, :'rotated'::jsonb -> 'secret' ->> 'id'), '22023', null,
                 'an overlap above a week is refused');

select public.revoke_webhook_secret((:'created'::jsonb ->> 'id')::uuid);
select tests.authenticate_as_service_role();
select is((select public.ingest_webhook_secrets(:'slug') -> 'secrets'), jsonb_build_array(:'rotated'::jsonb -> 'secret' ->> 'secret'),
          'after revoking the old one early, only the new secret verifies');
select tests.authenticate_as('wh_admin');
select is((select l.action from app.admin_audit_log l where l.entity_id = :'created'::jsonb ->> 'id' order by l.id desc limit 1),
          'revoke', 'the revocation is audited');

select tests.authenticate_as('wh_manager');
select throws_ok(format($$ select public.rotate_webhook_secret(%L) $$, :'rotated'::jsonb -> 'secret' ->> 'id'), '42501', null,
                 'a manager cannot rotate');
select throws_ok('select public.get_integrations_overview()', '42501', null, 'nor see the integrations');

select tests.authenticate_as('wh_other_admin');
select throws_ok(format($$ select public.rotate_webhook_secret(%L) $$, :'rotated'::jsonb -> 'secret' ->> 'id'), 'PT404', null,
                 'an admin of another organisation finds no secret of ours');
select is(public.get_integrations_overview() -> 'secrets', '[]'::jsonb, 'and sees none');

select * from finish();
rollback;
