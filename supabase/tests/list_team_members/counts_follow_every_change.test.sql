-- Each person's open workflows in the team list equal a count of their open executions
-- after each change that moves work: opening, snoozing, escalating, reassigning,
-- completing, cancelling, a customer handed to another CSM, and a person removed.
begin;
select plan(9);
set client_min_messages = warning;
select tests.create_organisation('Count Org') as org \gset
select tests.create_member('c_manager', :'org', 'manager', 'senior') as manager \gset
select tests.create_member('c_ana', :'org', 'csm', 'senior') as ana \gset
select tests.create_member('c_bo', :'org', 'csm', 'junior') as bo \gset
select app.organisation_today(:'org') as today \gset
insert into app.customers (org_id, name, arr, health_score, risk_score, renewal_date, assigned_to)
select :'org', 'Count customer ' || g, 50000 + g * 1000, 60, case when g % 3 = 0 then 90 else 10 end,
       :'today'::date + g * 9, case when g % 2 = 0 then :'ana'::uuid else :'bo'::uuid end
  from generate_series(1, 12) g;
select app.run_orchestrator_for_org(:'org') is not null as ran \gset

-- Who the team list says has how many open workflows, against a count of the executions
-- (made as the owner, compared as the manager).
create temp table counted (person uuid primary key, n bigint);
grant select on counted to authenticated;
create function pg_temp.recount(org uuid) returns void language sql as $$
  truncate counted;
  insert into counted
  select e.assigned_to, count(*) from app.workflow_executions e
   where e.org_id = org and e.assigned_to is not null
     and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
   group by 1;
$$;
create function pg_temp.mismatches() returns setof text language sql as $$
  select (m ->> 'full_name') || ': listed ' || (m ->> 'open_workflows') || ', counted ' || coalesce(c.n, 0)
    from jsonb_array_elements(public.list_team_members()) m
    left join counted c on c.person = (m ->> 'id')::uuid
   where (m ->> 'open_workflows')::bigint <> coalesce(c.n, 0)
$$;
grant execute on function pg_temp.mismatches() to authenticated;

select pg_temp.recount(:'org');
select ok((select count(*) = 2 and min(n) > 0 from counted), 'both CSMs have open work to count');
select tests.authenticate_as('c_manager');
select is_empty('select * from pg_temp.mismatches()', 'after the orchestrator opened the work');
select tests.clear_authentication();

-- one snoozed, one escalated, one in progress, one reassigned, one completed, one cancelled
with mine as (
  select e.id, row_number() over (order by e.id) as n from app.workflow_executions e
   where e.org_id = :'org' and e.assigned_to = :'ana' and e.status = 'queued')
update app.workflow_executions e
   set status = case m.n when 1 then 'snoozed' when 2 then 'escalated' when 3 then 'in_progress'
                         when 5 then 'completed' when 6 then 'cancelled' else e.status end,
       snoozed_until = case when m.n = 1 then now() + interval '2 days' end,
       completed_at = case when m.n in (5, 6) then now() end,
       assigned_to = case when m.n = 4 then :'bo'::uuid else e.assigned_to end
  from mine m where m.id = e.id and m.n <= 6;
select pg_temp.recount(:'org');
select tests.authenticate_as('c_manager');
select is_empty('select * from pg_temp.mismatches()', 'after snoozing, escalating, starting, reassigning, completing and cancelling');
select tests.clear_authentication();

-- a customer handed to the manager takes its open work along
update app.customers set assigned_to = :'manager'
 where id = (select c.id from app.customers c where c.org_id = :'org' and c.assigned_to = :'bo' order by c.name limit 1);
select pg_temp.recount(:'org');
select ok((select n from counted where person = :'manager') > 0, 'the manager now has open work');
select tests.authenticate_as('c_manager');
select is_empty('select * from pg_temp.mismatches()', 'after a customer moved to another person');
select tests.clear_authentication();

-- a person removed: their open work is left unassigned and counts for nobody
select count(*) > 0 as bo_has_work from app.workflow_executions
 where assigned_to = :'bo' and status in ('queued', 'in_progress', 'snoozed', 'escalated') \gset
select ok(:'bo_has_work'::boolean, 'the CSM to be removed has open work');
delete from app.profiles where id = :'bo';
select pg_temp.recount(:'org');
select tests.authenticate_as('c_manager');
select is_empty('select * from pg_temp.mismatches()', 'after a person was removed');
select tests.clear_authentication();

-- every open execution closed
update app.workflow_executions set status = 'cancelled', completed_at = now()
 where org_id = :'org' and status in ('queued', 'in_progress', 'snoozed', 'escalated');
select pg_temp.recount(:'org');
select tests.authenticate_as('c_ana');
select ok((select bool_and((m ->> 'open_workflows')::int = 0) from jsonb_array_elements(public.list_team_members()) m),
          'with nothing open, everyone counts zero');
select tests.clear_authentication();

-- The counts come from the kept statistics (one row per person), not from a count of the
-- organisation's open executions on every call (docs/performance.md).
select ok((select prosrc !~ 'workflow_executions' from pg_proc where oid = 'public.list_team_members()'::regprocedure),
          'the team list does not count the organisation''s executions itself');

select * from finish();
rollback;
