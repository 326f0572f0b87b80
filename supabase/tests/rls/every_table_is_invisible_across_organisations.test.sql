-- Nobody reads another organisation's rows, in any table: a member of org B sees
-- nothing of org A, while org A's own members see what org A has. Tables are found in
-- the catalogue, so a table added later is covered without touching this file.
begin;
select tests.create_rls_world();

create temporary table app_tables on commit drop as
  select c.relname::text as table_name
  from pg_class c
  where c.relnamespace = 'app'::regnamespace and c.relkind = 'r'
    and (c.relname = 'organisations' or exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'org_id' and not a.attisdropped))
    and c.relname not in ('webhook_secrets', 'processed_webhooks', 'user_preferences', 'notifications')
  order by 1;
grant select on app_tables to authenticated;
-- Rows the fixture does not create: give org A one of each so there is something to hide.
insert into app.usage_snapshots (org_id, customer_id, recorded_at, active_users) values (tests.org_id('Org A'), tests.row_id('customers', 'a'), now(), 5);
insert into app.arr_history (org_id, customer_id, arr) values (tests.org_id('Org A'), tests.row_id('customers', 'a'), 100);
insert into app.engagement_events (org_id, customer_id, event_type, occurred_at) values (tests.org_id('Org A'), tests.row_id('customers', 'a'), 'email', now());
insert into app.stakeholders (org_id, customer_id, name) values (tests.org_id('Org A'), tests.row_id('customers', 'a'), 'Sam');
insert into app.contracts (org_id, customer_id, start_date) values (tests.org_id('Org A'), tests.row_id('customers', 'a'), current_date);
insert into app.workflow_chat_branches (workflow_version_id, org_id, step_key, branch_key, label, branch_type)
  select id, org_id, 'review', 'ask', 'Ask', 'llm' from app.workflow_versions where org_id = tests.org_id('Org A');
insert into app.saved_actions (org_id, key, name, action_type) values (tests.org_id('Org A'), 'org_a_custom', 'Custom', 'custom');
insert into app.email_outbox (org_id, to_addresses, subject, body_text) values (tests.org_id('Org A'), '{a@example.com}', 'Hi', 'Hello');
insert into app.orchestrator_runs (org_id, as_of) values (tests.org_id('Org A'), current_date);

-- Which tables hold org A rows at all (counted before any role switch).
-- Tables members may not read at all (kept figures, job bookkeeping) are closed by grant:
-- for those the check is that a member's read is refused, not that it counts zero rows.
alter table app_tables add column has_org_a_rows boolean;
alter table app_tables add column members_may_read boolean;
update app_tables set has_org_a_rows = tests.visible_rows(table_name, tests.org_id('Org A')) > 0,
  members_may_read = has_table_privilege('authenticated', format('app.%I', table_name), 'select');
select plan((select count(*)::int + count(*) filter (where has_org_a_rows and members_may_read)::int from app_tables));

select tests.authenticate_as('admin_b');
select is(tests.visible_rows(table_name, tests.org_id('Org A')), 0, format('org B''s admin sees no %s of org A', table_name))
from app_tables where members_may_read;
select throws_ok(format('select count(*) from app.%I', table_name), '42501', null,
  format('org B''s admin may not read %s at all', table_name))
from app_tables where not members_may_read;

select tests.authenticate_as('viewer_a');
select cmp_ok(tests.visible_rows(table_name, tests.org_id('Org A')), '>', 0, format('org A''s viewer sees org A''s %s', table_name))
from app_tables where has_org_a_rows and members_may_read;

select * from finish();
rollback;
