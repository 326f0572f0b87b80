-- A deactivated person's open work, asked for again (Admin → People, docs/admin.md
-- "Deactivating someone"). Until now it was only the answer to the deactivation itself: an
-- admin who closed that dialog (or whose page reloaded) found the person's dialog offering
-- Reactivate alone, and their open workflows and tasks (People's counts said 13) could no
-- longer be handed over from there.
--
-- Who may ask is who may hand it over: an active admin or manager of the person's
-- organisation (hand_over_work, update_person); another organisation's person is not found.
create function public.get_person_open_work(profile_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
begin
  if v_org is null or not app.has_role('admin', 'manager') or not app.caller_is_active() then
    raise exception 'Only admins and managers can see a person''s open work' using errcode = '42501';
  end if;
  if not exists (select 1 from app.profiles p where p.id = get_person_open_work.profile_id and p.org_id = v_org) then
    raise exception 'Person not found' using errcode = 'PT404';
  end if;
  return app.person_open_work(get_person_open_work.profile_id, v_org);
end;
$$;
revoke execute on function public.get_person_open_work(uuid) from public, anon;
grant execute on function public.get_person_open_work(uuid) to authenticated;
