-- Every member sees the people of their own organisation by name, with their open
-- workflows counted; another organisation's people are invisible; anon is refused.
begin;
select plan(9);
set client_min_messages = warning;
select tests.create_organisation('Team Org') as org \gset
select tests.create_member('t_admin', :'org', 'admin', 'expert') as admin \gset
select tests.create_member('t_manager', :'org', 'manager', 'senior') as manager \gset
select tests.create_member('t_csm', :'org', 'csm', 'senior') as csm \gset
select tests.create_member('t_viewer', :'org', 'viewer') as viewer \gset
update app.profiles set full_name = 'Zoe Csm', manager_id = :'manager', title = 'CSM' where id = :'csm';
update app.profiles set full_name = 'Abe Admin' where id = :'admin';
update app.profiles set full_name = 'Mia Manager' where id = :'manager';
update app.profiles set full_name = 'Val Viewer' where id = :'viewer';
select tests.create_organisation('Other Org') as other_org \gset
select tests.create_member('t_other', :'other_org', 'csm') as other_csm \gset
select app.organisation_today(:'org') as today \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm');
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select count(*) as csm_open from app.workflow_executions
 where assigned_to = :'csm' and status in ('queued', 'in_progress', 'snoozed', 'escalated') \gset

select tests.authenticate_as('t_csm');
select is((select array_agg(m ->> 'full_name' order by ord) from jsonb_array_elements(public.list_team_members()) with ordinality t(m, ord)),
          array['Abe Admin', 'Mia Manager', 'Val Viewer', 'Zoe Csm'], 'a csm sees the whole organisation, ordered by name');
select ok(not exists (select 1 from jsonb_array_elements(public.list_team_members()) m where m ->> 'id' = :'other_csm'),
          'another organisation''s person is invisible');
select is((select m - 'id' from jsonb_array_elements(public.list_team_members()) m where m ->> 'id' = :'csm'),
          jsonb_build_object('full_name', 'Zoe Csm', 'email', (select email from app.profiles where id = :'csm'),
                             'role', 'csm', 'title', 'CSM', 'experience_level', 'senior', 'manager_id', :'manager',
                             'open_workflows', :csm_open, 'invited', true, 'deactivated', false),
          'each person with role, title, level, manager, open workflows, whether they are only invited (migration 20261209302000) and whether deactivated (20261209502000)');
select ok(:csm_open > 0, 'the csm has open workflows to count');
select is((select (m ->> 'open_workflows')::int from jsonb_array_elements(public.list_team_members()) m where m ->> 'id' = :'viewer'),
          0, 'nobody''s workflows count as zero');

select tests.authenticate_as('t_viewer');
select is(jsonb_array_length(public.list_team_members()), 4, 'a viewer sees the team too');

select tests.authenticate_as('t_other');
select is((select array_agg(m ->> 'id') from jsonb_array_elements(public.list_team_members()) m),
          array[:'other_csm'], 'the other organisation sees only its own person');

select tests.clear_authentication();
select ok(not has_function_privilege('anon', 'public.list_team_members()', 'execute'), 'anon may not execute it');
select tests.authenticate_as_anon();
select throws_ok('select public.list_team_members()', '42501', null, 'anon is refused');

select * from finish();
rollback;
