-- The team's list says who was invited and has not joined yet (docs/web-app.md, pickers of
-- people).
--
-- What and why: list_team_members, which every picker of a person to hand work to reads
-- (a task's reassign and New task's "For", the queue's bulk reassign, a workflow's Reassign,
-- an escalation's "Reassign to another CSM"), did not say that a person was only invited: an
-- invitee who has never signed in was listed like a colleague at work. The server takes work
-- for them (app.can_take_work asks only that they be an active CSM, manager or admin: work
-- waits in their queue for their first sign-in, as an admin may plan), so the pickers keep
-- them and mark them "(invited)"; for that the list now carries `invited`.
--
--   * app.people_yet_to_join(): the ids of the caller's organisation's people who have neither
--     confirmed their address nor signed in — the rule list_people has called "invited" since
--     the baseline, now written once. Security definer (auth.users is not readable by API
--     roles); it answers ids only, and only of the caller's organisation, to any member: that
--     a colleague has not joined yet is what the pickers show.
--   * list_team_members: 'invited' per person (restated whole from 20261204231000).
--   * list_people: its status reads the same rule (restated whole from 20261204001200).
-- supabase/tests/list_team_members/invited_people_are_marked.test.sql.

create or replace function app.people_yet_to_join()
returns table (id uuid)
language plpgsql
stable
security definer -- reads auth.users for the caller's organisation only, and answers ids alone
set search_path = ''
as $$
begin
  return query
    select p.id
      from app.profiles p
      join auth.users u on u.id = p.id
     where p.org_id = app.current_org_id()
       and u.email_confirmed_at is null and u.last_sign_in_at is null;
end;
$$;
comment on function app.people_yet_to_join() is
  'The ids of the caller''s organisation''s people who were invited and have not joined yet (never confirmed their address nor signed in).';
revoke execute on function app.people_yet_to_join() from public, anon;
grant execute on function app.people_yet_to_join() to authenticated;

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
             'open_workflows', coalesce(w.open_workflows, 0),
             'invited', j.id is not null)
           order by lower(p.full_name), p.id)
      from app.profiles p
      left join app.open_work_of_my_organisation() w on w.assigned_to = p.id
      left join app.people_yet_to_join() j on j.id = p.id
     where p.org_id = v_org), '[]'::jsonb);
end;
$$;

create or replace function public.list_people()
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
begin
  if v_org is null or not app.has_role('admin', 'manager') or not app.caller_is_active() then
    raise exception 'Only admins and managers can list people' using errcode = '42501';
  end if;
  return coalesce((
    select jsonb_agg(app.person_json(p) || jsonb_build_object(
             'invited_at', s.invited_at,
             'last_sign_in_at', s.last_sign_in_at,
             'status', case when p.deactivated_at is not null then 'deactivated'
                            when j.id is not null then 'invited'
                            else 'active' end)
           order by lower(p.full_name), p.id)
      from app.profiles p
      left join app.people_sign_in_state() s on s.id = p.id
      left join app.people_yet_to_join() j on j.id = p.id
     where p.org_id = v_org), '[]'::jsonb);
end;
$$;
