-- webhook_secrets: the keys that sign ingest webhooks are an admin's business only. An
-- admin reads and writes their organisation's secrets; manager, csm and viewer see none
-- and change none; another organisation's admin sees and changes nothing; anon is
-- refused; service_role (the ingest function) does anything.
begin;
select plan(30);
select tests.create_rls_world();
insert into app.webhook_secrets (org_id, label, secret) values
  (tests.org_id('Org A'), 'a', 'whsec_' || encode(extensions.gen_random_bytes(24), 'base64')),
  (tests.org_id('Org B'), 'b', 'whsec_' || encode(extensions.gen_random_bytes(24), 'base64'));
create temporary table matrix_orgs on commit drop as select tests.org_id('Org A') as org_a, tests.org_id('Org B') as org_b;
grant select on matrix_orgs to anon, authenticated, service_role;

-- anon: no privilege on app at all
select tests.authenticate_as_anon();
select throws_ok($$ select 1 from app.webhook_secrets $$, '42501', null, 'anon: select is refused');
select throws_ok($$ insert into app.webhook_secrets (org_id, secret) values ((select org_a from matrix_orgs), 'whsec_AAAAAAAAAAAAAAAAAAAAAAAA') $$, '42501', null, 'anon: insert is refused');
select throws_ok($$ update app.webhook_secrets set active = false $$, '42501', null, 'anon: update is refused');
select throws_ok($$ delete from app.webhook_secrets $$, '42501', null, 'anon: delete is refused');

-- everyone of org A but the admin: reads none, writes none
select tests.authenticate_as('viewer_a');
select is(tests.visible_rows('webhook_secrets', (select org_a from matrix_orgs)), 0, 'viewer: reads no webhook secret');
select throws_ok($$ insert into app.webhook_secrets (org_id, secret) values (app.current_org_id(), 'whsec_AAAAAAAAAAAAAAAAAAAAAAAA') $$, '42501', null, 'viewer: insert is refused');
select is_empty($$ update app.webhook_secrets set active = false returning 1 $$, 'viewer: update matches nothing');
select is_empty($$ delete from app.webhook_secrets returning 1 $$, 'viewer: delete matches nothing');

select tests.authenticate_as('csm_a');
select is(tests.visible_rows('webhook_secrets', (select org_a from matrix_orgs)), 0, 'csm: reads no webhook secret');
select throws_ok($$ insert into app.webhook_secrets (org_id, secret) values (app.current_org_id(), 'whsec_AAAAAAAAAAAAAAAAAAAAAAAA') $$, '42501', null, 'csm: insert is refused');
select is_empty($$ update app.webhook_secrets set active = false returning 1 $$, 'csm: update matches nothing');
select is_empty($$ delete from app.webhook_secrets returning 1 $$, 'csm: delete matches nothing');

select tests.authenticate_as('manager_a');
select is(tests.visible_rows('webhook_secrets', (select org_a from matrix_orgs)), 0, 'manager: reads no webhook secret');
select throws_ok($$ insert into app.webhook_secrets (org_id, secret) values (app.current_org_id(), 'whsec_AAAAAAAAAAAAAAAAAAAAAAAA') $$, '42501', null, 'manager: insert is refused');
select is_empty($$ update app.webhook_secrets set active = false returning 1 $$, 'manager: update matches nothing');
select is_empty($$ delete from app.webhook_secrets returning 1 $$, 'manager: delete matches nothing');

-- another organisation's admin: only their own
select tests.authenticate_as('admin_b');
select is(tests.visible_rows('webhook_secrets', (select org_a from matrix_orgs)), 0, 'other organisation''s admin: reads none of org A''s secrets');
select is(tests.visible_rows('webhook_secrets', (select org_b from matrix_orgs)), 1, 'other organisation''s admin: reads their own');
select throws_ok($$ insert into app.webhook_secrets (org_id, secret) values ((select org_a from matrix_orgs), 'whsec_AAAAAAAAAAAAAAAAAAAAAAAA') $$, '42501', null, 'other organisation''s admin: insert into org A is refused');
select is_empty($$ update app.webhook_secrets set active = false where org_id = (select org_a from matrix_orgs) returning 1 $$, 'other organisation''s admin: update of org A''s secrets matches nothing');
select is_empty($$ delete from app.webhook_secrets where org_id = (select org_a from matrix_orgs) returning 1 $$, 'other organisation''s admin: delete of org A''s secrets matches nothing');

-- service_role: bypasses RLS
select tests.authenticate_as_service_role();
select is((select count(*)::int from app.webhook_secrets where org_id in (select org_a from matrix_orgs union all select org_b from matrix_orgs)), 2, 'service role: reads both organisations'' secrets');
select lives_ok($$ insert into app.webhook_secrets (org_id, label, secret) values ((select org_b from matrix_orgs), 'rotated', 'whsec_BBBBBBBBBBBBBBBBBBBBBBBB') $$, 'service role: inserts');
select isnt_empty($$ update app.webhook_secrets set active = false where org_id = (select org_b from matrix_orgs) returning 1 $$, 'service role: updates');
select isnt_empty($$ delete from app.webhook_secrets where org_id = (select org_b from matrix_orgs) returning 1 $$, 'service role: deletes');

-- admin of org A: everything on their own organisation's secrets
select tests.authenticate_as('admin_a');
select is(tests.visible_rows('webhook_secrets', (select org_a from matrix_orgs)), 1, 'admin: reads their organisation''s secret');
select lives_ok($$ insert into app.webhook_secrets (org_id, label, secret) values (app.current_org_id(), 'rotated', 'whsec_CCCCCCCCCCCCCCCCCCCCCCCC') $$, 'admin: adds a secret');
select isnt_empty($$ update app.webhook_secrets set active = false where label = 'a' returning 1 $$, 'admin: deactivates a secret');
select isnt_empty($$ delete from app.webhook_secrets where label = 'a' returning 1 $$, 'admin: deletes a secret');
select throws_ok($$ insert into app.webhook_secrets (org_id, secret) values ((select org_b from matrix_orgs), 'whsec_DDDDDDDDDDDDDDDDDDDDDDDD') $$, '42501', null, 'admin: insert into another organisation is refused');

select * from finish();
rollback;
