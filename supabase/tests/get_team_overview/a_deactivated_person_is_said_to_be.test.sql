-- get_team_overview says who of the team is deactivated ("deactivated": true), so the Team
-- page can say that their open work waits for a hand-over: a deactivated CSM's workflows stay
-- theirs until an admin or manager reassigns them, and nobody works them meanwhile. Before,
-- they were listed as any colleague at work, their open items counted in the team's.
begin;
select plan(3);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm2') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
update app.profiles set deactivated_at = now() where id = :'csm2';
select tests.authenticate_as('e_manager');
select public.get_team_overview() as o \gset
select is((select (m ->> 'deactivated')::boolean from jsonb_array_elements(:'o'::jsonb -> 'members') m where m ->> 'id' = :'csm2'),
  true, 'the deactivated CSM is said to be');
select cmp_ok((select (m ->> 'open_total')::int from jsonb_array_elements(:'o'::jsonb -> 'members') m where m ->> 'id' = :'csm2'),
  '>', 0, 'with their open work still to hand over');
select is((select (m ->> 'deactivated')::boolean from jsonb_array_elements(:'o'::jsonb -> 'members') m where m ->> 'id' = :'csm'),
  false, 'a colleague at work is not');
select * from finish();
rollback;
