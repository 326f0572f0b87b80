-- The team list's open-work counts read from the kept queue statistics (issue 18, "the
-- cost of a call depends on the caller's book, not on the organisation's size").
--
-- What and why: public.list_team_members (the queue page, the customers and forecast
-- pages, the reassign and escalation pickers all load it) counted every open execution
-- of the organisation on each call: 120–220 ms at 100 000 customers (360 000 open
-- executions), growing with the organisation. app.queue_stats already keeps, per person,
-- the number of their open executions of every status (`items` of the row that includes
-- the snoozed ones), in the same statements that change them (app.executions_keep_queue_stats),
-- so the count is exact and costs one row per person.

-- Each person's open executions in the caller's organisation (people without any are
-- left out). The counts are shown to every member by list_team_members; the table
-- behind them is readable by no role, hence security definer.
create or replace function app.open_work_of_my_organisation()
returns table (assigned_to uuid, open_workflows integer)
language sql
stable
security definer -- reads app.queue_stats, which no role may read; only the caller's organisation
set search_path = ''
as $$
  select s.assigned_to, s.items
    from app.queue_stats s
   where s.org_id = (select app.current_org_id())
     and s.include_snoozed
     and s.items > 0
$$;
comment on function app.open_work_of_my_organisation() is
  'Each person''s number of open executions (queued, in progress, snoozed, escalated) in the caller''s organisation, from the kept queue statistics.';
revoke execute on function app.open_work_of_my_organisation() from public, anon;
grant execute on function app.open_work_of_my_organisation() to authenticated, service_role;

create or replace function public.list_team_members()
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
begin
  if v_org is null then
    raise exception 'Only members of an organisation have a team' using errcode = '42501';
  end if;
  return coalesce((
    select jsonb_agg(jsonb_build_object(
             'id', p.id, 'full_name', p.full_name, 'email', p.email, 'role', p.role, 'title', p.title,
             'experience_level', p.experience_level, 'manager_id', p.manager_id,
             'open_workflows', coalesce(w.open_workflows, 0))
           order by lower(p.full_name), p.id)
      from app.profiles p
      left join app.open_work_of_my_organisation() w on w.assigned_to = p.id
     where p.org_id = v_org), '[]'::jsonb);
end;
$$;
