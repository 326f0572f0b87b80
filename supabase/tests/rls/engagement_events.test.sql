-- engagement_events: Engagement events are customer data: every member of the organisation reads them; only
-- managers and admins write them (a csm not even for their own customer's events).
-- Another organisation sees and changes nothing; anon is refused; service_role does anything.
begin;
select plan(30);
select tests.create_rls_world();
-- One row in each organisation.
insert into app.engagement_events (org_id, customer_id, event_type, occurred_at, title) values (tests.org_id('Org A'), tests.row_id('customers', 'a'), 'meeting', clock_timestamp(), 'Kick-off');
insert into app.engagement_events (org_id, customer_id, event_type, occurred_at, title) values (tests.org_id('Org B'), tests.row_id('customers', 'b'), 'meeting', clock_timestamp(), 'Kick-off');
create temporary table matrix_orgs on commit drop as select tests.org_id('Org A') as org_a, tests.org_id('Org B') as org_b;
grant select on matrix_orgs to anon, authenticated, service_role;

-- anon: no privilege on app at all
select tests.authenticate_as_anon();
select throws_ok($$ select 1 from app.engagement_events $$, '42501', null, 'anon: select is refused');
select throws_ok($$ insert into app.engagement_events (org_id, customer_id, event_type, occurred_at, title) values ((select org_a from matrix_orgs), (select tests.row_id('customers', 'a')), 'meeting', clock_timestamp(), 'Kick-off') $$, '42501', null, 'anon: insert is refused');
select throws_ok($$ update app.engagement_events set title = 'Renamed' $$, '42501', null, 'anon: update is refused');
select throws_ok($$ delete from app.engagement_events $$, '42501', null, 'anon: delete is refused');

-- a member of another organisation (its admin)
select tests.authenticate_as('admin_b');
select is(tests.visible_rows('engagement_events', (select org_a from matrix_orgs)), 0, 'other organisation: reads none of org A''s engagement events');
select is(tests.visible_rows('engagement_events', (select org_b from matrix_orgs)), 1, 'other organisation: reads its own');
select throws_ok($$ insert into app.engagement_events (org_id, customer_id, event_type, occurred_at, title) values ((select org_a from matrix_orgs), (select tests.row_id('customers', 'a')), 'meeting', clock_timestamp(), 'Kick-off') $$, '42501', null, 'other organisation: insert into org A is refused');
select is_empty($$ update app.engagement_events set title = 'Renamed' where org_id = (select org_a from matrix_orgs) returning 1 $$, 'other organisation: update of org A''s rows matches nothing');
select is_empty($$ delete from app.engagement_events where org_id = (select org_a from matrix_orgs) returning 1 $$, 'other organisation: delete of org A''s rows matches nothing');

-- viewer: reads, writes nothing
select tests.authenticate_as('viewer_a');
select is(tests.visible_rows('engagement_events', (select org_a from matrix_orgs)), 1, 'viewer: reads the organisation''s engagement events');
select throws_ok($$ insert into app.engagement_events (org_id, customer_id, event_type, occurred_at, title) values (app.current_org_id(), (select id from app.customers where metadata ->> 'label' = 'a'), 'meeting', clock_timestamp(), 'Kick-off') $$, '42501', null, 'viewer: insert is refused');
select is_empty($$ update app.engagement_events set title = 'Renamed' where true returning 1 $$, 'viewer: update matches nothing');
select is_empty($$ delete from app.engagement_events where true returning 1 $$, 'viewer: delete matches nothing');

-- csm: reads, writes nothing (even for the customer assigned to them)
select tests.authenticate_as('csm_a');
select is(tests.visible_rows('engagement_events', (select org_a from matrix_orgs)), 1, 'csm: reads the organisation''s engagement events');
select throws_ok($$ insert into app.engagement_events (org_id, customer_id, event_type, occurred_at, title) values (app.current_org_id(), (select id from app.customers where metadata ->> 'label' = 'a'), 'meeting', clock_timestamp(), 'Kick-off') $$, '42501', null, 'csm: insert is refused');
select is_empty($$ update app.engagement_events set title = 'Renamed' where true returning 1 $$, 'csm: update matches nothing (even for the customer assigned to them)');
select is_empty($$ delete from app.engagement_events where true returning 1 $$, 'csm: delete matches nothing');

-- service_role (Edge Functions, ingest, cron): bypasses RLS
select tests.authenticate_as_service_role();
select is((select count(*)::int from app.engagement_events where org_id in (select org_a from matrix_orgs union all select org_b from matrix_orgs)), 2, 'service role: reads both organisations');
select lives_ok($$ insert into app.engagement_events (org_id, customer_id, event_type, occurred_at, title) values ((select org_b from matrix_orgs), (select tests.row_id('customers', 'b')), 'meeting', clock_timestamp(), 'Kick-off') $$, 'service role: inserts into any organisation');
select isnt_empty($$ update app.engagement_events set title = 'Renamed' where org_id = (select org_b from matrix_orgs) returning 1 $$, 'service role: updates any organisation''s rows');
select isnt_empty($$ delete from app.engagement_events where org_id = (select org_b from matrix_orgs) returning 1 $$, 'service role: deletes any organisation''s rows');

-- manager: reads and writes the organisation's engagement events
select tests.authenticate_as('manager_a');
select lives_ok($$ insert into app.engagement_events (org_id, customer_id, event_type, occurred_at, title) values (app.current_org_id(), (select id from app.customers where metadata ->> 'label' = 'a'), 'meeting', clock_timestamp(), 'Kick-off') $$, 'manager: insert works');
select is(tests.visible_rows('engagement_events', (select org_a from matrix_orgs)), 2, 'manager: reads the organisation''s engagement events, the new row too');
select isnt_empty($$ update app.engagement_events set title = 'Renamed' where true returning 1 $$, 'manager: update works');
select isnt_empty($$ delete from app.engagement_events where org_id = app.current_org_id() returning 1 $$, 'manager: delete works');

-- admin: reads and writes the organisation's engagement events
select tests.authenticate_as('admin_a');
select lives_ok($$ insert into app.engagement_events (org_id, customer_id, event_type, occurred_at, title) values (app.current_org_id(), (select id from app.customers where metadata ->> 'label' = 'a'), 'meeting', clock_timestamp(), 'Kick-off') $$, 'admin: insert works');
select is(tests.visible_rows('engagement_events', (select org_a from matrix_orgs)), 1, 'admin: reads the organisation''s engagement events, the new row too');
select isnt_empty($$ update app.engagement_events set title = 'Renamed' where true returning 1 $$, 'admin: update works');
select isnt_empty($$ delete from app.engagement_events where org_id = app.current_org_id() returning 1 $$, 'admin: delete works');
select throws_ok($$ insert into app.engagement_events (org_id, customer_id, event_type, occurred_at, title) values ((select org_b from matrix_orgs), (select tests.row_id('customers', 'b')), 'meeting', clock_timestamp(), 'Kick-off') $$, '42501', null, 'admin: insert into another organisation is refused');

select * from finish();
rollback;
