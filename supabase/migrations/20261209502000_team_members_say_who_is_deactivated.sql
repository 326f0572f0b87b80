-- list_team_members says who is deactivated (`deactivated`): the web's pickers of a person to
-- hand work to leave them out, since the server refuses them work
-- (app.require_person_who_can_take_work: "… has been deactivated and cannot take work"),
-- where before they were offered like anyone at work and choosing them ended in that refusal.
-- The filters by person (Customers' CSM, Forecast's Whose, Tasks') keep them: what they held
-- is theirs until someone hands it over.
-- Restated from 20261209302000_team_members_say_who_has_not_joined.sql; only `deactivated`
-- is new.

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
             'invited', j.id is not null,
             'deactivated', p.deactivated_at is not null)
           order by lower(p.full_name), p.id)
      from app.profiles p
      left join app.open_work_of_my_organisation() w on w.assigned_to = p.id
      left join app.people_yet_to_join() j on j.id = p.id
     where p.org_id = v_org), '[]'::jsonb);
end;
$$;
