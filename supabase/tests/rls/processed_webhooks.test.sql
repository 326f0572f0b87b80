-- processed_webhooks: the ingest function (service_role) records every applied webhook id;
-- an admin may read their organisation's record, nobody else reads it, and no signed-in
-- person writes it at all (not granted: 42501 for every role, admin included).
begin;
select plan(27);
select tests.create_rls_world();
insert into app.processed_webhooks (org_id, webhook_id, event_count) values
  (tests.org_id('Org A'), 'msg_a', 1),
  (tests.org_id('Org B'), 'msg_b', 1);
create temporary table matrix_orgs on commit drop as select tests.org_id('Org A') as org_a, tests.org_id('Org B') as org_b;
grant select on matrix_orgs to anon, authenticated, service_role;

-- anon: no privilege on app at all
select tests.authenticate_as_anon();
select throws_ok($$ select 1 from app.processed_webhooks $$, '42501', null, 'anon: select is refused');
select throws_ok($$ insert into app.processed_webhooks (org_id, webhook_id) values ((select org_a from matrix_orgs), 'msg_x') $$, '42501', null, 'anon: insert is refused');
select throws_ok($$ update app.processed_webhooks set event_count = 2 $$, '42501', null, 'anon: update is refused');
select throws_ok($$ delete from app.processed_webhooks $$, '42501', null, 'anon: delete is refused');

-- reading: the admin only, and only their own organisation
select tests.authenticate_as('viewer_a');
select is(tests.visible_rows('processed_webhooks', (select org_a from matrix_orgs)), 0, 'viewer: reads nothing');
select tests.authenticate_as('csm_a');
select is(tests.visible_rows('processed_webhooks', (select org_a from matrix_orgs)), 0, 'csm: reads nothing');
select tests.authenticate_as('manager_a');
select is(tests.visible_rows('processed_webhooks', (select org_a from matrix_orgs)), 0, 'manager: reads nothing');
select tests.authenticate_as('admin_b');
select is(tests.visible_rows('processed_webhooks', (select org_a from matrix_orgs)), 0, 'other organisation''s admin: reads none of org A''s');
select tests.authenticate_as('admin_a');
select is(tests.visible_rows('processed_webhooks', (select org_a from matrix_orgs)), 1, 'admin: reads their organisation''s processed webhooks');
select is(tests.visible_rows('processed_webhooks', (select org_b from matrix_orgs)), 0, 'admin: reads none of another organisation''s');

-- writing: refused for every signed-in role, admin included
create temporary table writers (identifier text) on commit drop;
insert into writers values ('viewer_a'), ('csm_a'), ('manager_a'), ('admin_a');
grant select on writers to authenticated;
create function pg_temp.sqlstate_of(identifier text, statement text)
returns text
language plpgsql
as $$
begin
  perform tests.authenticate_as(identifier);
  execute statement;
  return 'no error';
exception when others then
  return sqlstate;
end;
$$;
select tests.clear_authentication();
select is(pg_temp.sqlstate_of(identifier, $$ insert into app.processed_webhooks (org_id, webhook_id) values (app.current_org_id(), 'msg_forged') $$),
          '42501', format('%s: insert is refused', identifier))
from writers;
select is(pg_temp.sqlstate_of(identifier, $$ update app.processed_webhooks set event_count = 99 $$),
          '42501', format('%s: update is refused', identifier))
from writers;
select is(pg_temp.sqlstate_of(identifier, $$ delete from app.processed_webhooks $$),
          '42501', format('%s: delete is refused', identifier))
from writers;

-- service_role: records, reads, changes and prunes any organisation's
select tests.authenticate_as_service_role();
select is((select count(*)::int from app.processed_webhooks where org_id in (select org_a from matrix_orgs union all select org_b from matrix_orgs)), 2, 'service role: reads both organisations');
select lives_ok($$ insert into app.processed_webhooks (org_id, webhook_id) values ((select org_b from matrix_orgs), 'msg_b2') $$, 'service role: records a webhook id');
select throws_ok($$ insert into app.processed_webhooks (org_id, webhook_id) values ((select org_b from matrix_orgs), 'msg_b2') $$, '23505', null, 'service role: the same webhook id twice is a conflict');
select isnt_empty($$ update app.processed_webhooks set event_count = 3 where webhook_id = 'msg_b2' returning 1 $$, 'service role: updates');
select isnt_empty($$ delete from app.processed_webhooks where org_id = (select org_b from matrix_orgs) returning 1 $$, 'service role: deletes');

select * from finish();
rollback;
