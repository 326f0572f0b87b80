-- An invitation under a key the admin used for another call is refused before anything is sent
-- (docs/admin.md "Inviting someone", docs/api-contract.md "Errors"): check_invited_person, which
-- invite-person asks before the Auth API creates the user and mails the link, answers PT409
-- "this key was used for a different request", as create_invited_person's own claim of the key
-- (app.claim_request_key, migration 20261212300000) would once the mail had gone. Before
-- (migration 20261213101000), the check looked only at the invitations' own keys: the link was
-- mailed, the person refused at the end and the user deleted, so the address held a link to
-- nothing. The same key for the same invitation, and a new key, still pass.
begin;
select plan(5);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset

-- The admin's key, taken by another call (a webhook secret).
select tests.authenticate_as('e_admin');
select public.create_webhook_secret('Keyed', idempotency_key => 'k-secret') is not null as made \gset
select tests.clear_authentication();
select tests.authenticate_as_service_role();

select throws_ok(format($$ select public.check_invited_person(%L, 'keyed.one@engine.example', 'Keyed One', 'csm', idempotency_key => 'k-secret') $$, :'admin'),
  'PT409', 'this key was used for a different request', 'the check refuses the key another call took');
select throws_ok(format($$ select public.create_unsent_invitation(%L, %L, 'Olly', 'csm', idempotency_key => 'k-secret') $$, :'admin',
                        (select email from app.profiles where id = :'other_csm')),
  'PT409', 'this key was used for a different request', 'as the invitation kept unsent does');
select is((select count(*)::int from app.invitations where org_id = :'org' and lower(email) = lower((select email from app.profiles where id = :'other_csm'))), 0,
  'which keeps nothing');

-- A colleague's same key is their own request; a new key is a new one.
select ok(public.check_invited_person(:'admin', 'keyed.two@engine.example', 'Keyed Two', 'csm', idempotency_key => 'k-new') ->> 'ok' = 'true',
  'a new key passes');
select ok(public.check_invited_person(:'admin', 'keyed.three@engine.example', 'Keyed Three', 'csm') ->> 'ok' = 'true',
  'no key passes');

select * from finish();
rollback;
