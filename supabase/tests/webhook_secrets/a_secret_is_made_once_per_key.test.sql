-- A webhook secret created again under the key of a request whose answer was lost is the
-- same secret, whole: one row, one audit entry; another label under that key is PT409, and
-- another admin's same key is their own (migration 20261206351000).
begin;
select plan(7);
set client_min_messages = warning;
select tests.create_organisation('Keyed Hooks Org') as org \gset
select tests.create_member('wk_admin', :'org', 'admin') as admin \gset
select tests.create_member('wk_admin2', :'org', 'admin') as admin2 \gset

select tests.authenticate_as('wk_admin');
select public.create_webhook_secret('CRM', idempotency_key => 'req-1') as first \gset
select public.create_webhook_secret('CRM', idempotency_key => 'req-1') as again \gset
select is(:'again'::jsonb, :'first'::jsonb, 'the same request again answers the secret it made, in full');
select is((select count(*)::int from app.webhook_secrets where org_id = :'org'), 1, 'and the organisation holds one secret');
select is((select count(*)::int from app.admin_audit_log l where l.entity = 'webhook_secret' and l.action = 'create' and l.org_id = :'org'),
          1, 'its creation is audited once');
select throws_ok($$select public.create_webhook_secret('Billing', idempotency_key => 'req-1')$$, 'PT409', null,
  'another label under the same key is refused');
select throws_ok($$select public.create_webhook_secret('CRM', idempotency_key => U&'\200B')$$, '22023', null,
  'a blank key is refused');

select tests.authenticate_as('wk_admin2');
select isnt((public.create_webhook_secret('CRM', idempotency_key => 'req-1')) ->> 'id', :'first'::jsonb ->> 'id',
  'another admin''s same key makes their own secret');
select tests.authenticate_as('wk_admin');
select isnt((public.create_webhook_secret('CRM')) ->> 'id', :'first'::jsonb ->> 'id', 'without a key, every call makes a secret');
select * from finish();
rollback;
