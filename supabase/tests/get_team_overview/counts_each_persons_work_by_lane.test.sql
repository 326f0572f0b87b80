-- get_team_overview: one call for the manager's home: each person's open work by lane,
-- overdue, escalated and tasks; totals with open escalations; the renewals this quarter.
-- CSMs and viewers may not; another organisation's people and customers never appear.
begin;
select plan(11);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select tests.clear_authentication();
-- An overdue renewal for csm2, and a customer of the other organisation renewing this quarter.
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Overdue Inc', 50000, 40, :'today'::date - 12, :'csm2');
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'other_org', 'Elsewhere Ltd', 70000, 80, :'today'::date + 3, :'other_csm');
select app.run_orchestrator_for_org(:'org') is not null as ran2 \gset
select count(*)::int as csm_open, count(*) filter (where queue_lane = 1)::int as csm_now
  from app.workflow_executions where assigned_to = :'csm' and status in ('queued', 'in_progress', 'snoozed', 'escalated') \gset
select tests.authenticate_as('e_csm');
select public.execute_action('escalate', :'eid', '{"reason": "Budget frozen"}') is not null as e1 \gset
select throws_ok('select public.get_team_overview()', '42501', null, 'a csm may not');
select tests.authenticate_as('e_viewer');
select throws_ok('select public.get_team_overview()', '42501', null, 'a viewer may not');
select tests.authenticate_as('e_manager');
select public.get_team_overview() as o \gset
select is((select m ->> 'open_total' from jsonb_array_elements(:'o'::jsonb -> 'members') m where m ->> 'id' = :'csm')::int,
  :csm_open, 'the csm''s open items');
select is((select m -> 'lanes' ->> 'now' from jsonb_array_elements(:'o'::jsonb -> 'members') m where m ->> 'id' = :'csm')::int,
  :csm_now, 'by lane');
select is((select m ->> 'escalated' from jsonb_array_elements(:'o'::jsonb -> 'members') m where m ->> 'id' = :'csm')::int, 1, 'escalated');
select cmp_ok((select m ->> 'overdue' from jsonb_array_elements(:'o'::jsonb -> 'members') m where m ->> 'id' = :'csm2')::int, '>=', 1, 'the overdue renewal counts for csm2');
select ok((select (m ->> 'reports_to_me')::boolean from jsonb_array_elements(:'o'::jsonb -> 'members') m where m ->> 'id' = :'csm2'), 'csm2 reports to this manager');
select is((:'o'::jsonb -> 'totals' ->> 'open_escalations')::int, 1, 'one open escalation');
select ok(not exists (select 1 from jsonb_array_elements(:'o'::jsonb -> 'members') m where m ->> 'id' in (:'other_csm', :'viewer')),
  'no viewer and nobody of another organisation');
select ok(exists (select 1 from jsonb_array_elements(:'o'::jsonb -> 'renewals' -> 'items') r where r ->> 'name' = 'Contoso')
          = (date_trunc('quarter', :'today'::date) = date_trunc('quarter', :'today'::date + 3)), 'Contoso is among this quarter''s renewals when it renews this quarter');
select ok(not exists (select 1 from jsonb_array_elements(:'o'::jsonb -> 'renewals' -> 'items') r where r ->> 'name' = 'Elsewhere Ltd'),
  'never another organisation''s customer');

select * from finish();
rollback;
