-- A rotation sent again under the key of a request whose answer was lost answers the rotation
-- it made: the same new secret in full, one new secret, the old one ending once; another
-- secret or overlap under that key is PT409 (migration 20261207700000). Before, the retry
-- answered PT409 "Only a secret in use without an end date can be rotated" and the new
-- secret was never shown.
begin;
select plan(7);
set client_min_messages = warning;
select tests.create_organisation('Rotating Hooks Org') as org \gset
select tests.create_member('wr_admin', :'org', 'admin') as admin \gset

select tests.authenticate_as('wr_admin');
select (public.create_webhook_secret('CRM')) ->> 'id' as old_id \gset
select (public.create_webhook_secret('Billing')) ->> 'id' as other_id \gset
select public.rotate_webhook_secret(:'old_id'::uuid, 24, idempotency_key => 'rot-1') as first \gset
select lives_ok(format($$select public.rotate_webhook_secret(%L::uuid, 24, idempotency_key => 'rot-1')$$, :'old_id'),
  'the same rotation again is answered, not refused');
select is(public.rotate_webhook_secret(:'old_id'::uuid, 24, idempotency_key => 'rot-1') -> 'secret',
          :'first'::jsonb -> 'secret', 'with the secret it made, in full');
select is((select count(*)::int from app.webhook_secrets where org_id = :'org' and label = 'CRM'), 2,
  'one new secret beside the old one');
select is((select expires_at from app.webhook_secrets where id = :'old_id'),
          (:'first'::jsonb -> 'previous' ->> 'expires_at')::timestamptz, 'the old one ends when the first rotation said');
select throws_ok(format($$select public.rotate_webhook_secret(%L::uuid, 72, idempotency_key => 'rot-1')$$, :'old_id'),
  'PT409', 'this key was used for a different request', 'another overlap under the key is refused');
select throws_ok(format($$select public.rotate_webhook_secret(%L::uuid, 24, idempotency_key => 'rot-1')$$, :'other_id'),
  'PT409', 'this key was used for a different request', 'another secret under the key is refused');
select throws_ok(format($$select public.rotate_webhook_secret(%L::uuid, 24, idempotency_key => ' ')$$, :'other_id'),
  '22023', null, 'a blank key is refused');
select * from finish();
rollback;
