-- get_person_open_work called without a person answers 22023 naming profile_id, as every API
-- function answers a missing required argument (docs/api-contract.md); before, the null was
-- looked up and answered PT404 'Person not found'. Restated from 20261210400000.
create or replace function public.get_person_open_work(profile_id uuid)
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
  perform app.require_given(get_person_open_work.profile_id is not null, 'profile_id', 'Pass the id of the person whose open work to list.');
  if not exists (select 1 from app.profiles p where p.id = get_person_open_work.profile_id and p.org_id = v_org) then
    raise exception 'Person not found' using errcode = 'PT404';
  end if;
  return app.person_open_work(get_person_open_work.profile_id, v_org);
end;
$$;
