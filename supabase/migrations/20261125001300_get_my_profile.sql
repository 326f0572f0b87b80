-- public.get_my_profile(): who the signed-in person is (api.md "Identity").
--
-- Why: the web app's first call after sign-in; everything else it shows depends on the
-- person's organisation and role. Security invoker: RLS already lets a member read
-- their own profile and organisation.

create or replace function public.get_my_profile()
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  result jsonb;
begin
  select jsonb_build_object(
           'id', p.id,
           'org_id', p.org_id,
           'org_name', o.name,
           'full_name', p.full_name,
           'email', p.email,
           'role', p.role,
           'title', p.title,
           'experience_level', p.experience_level,
           'manager_id', p.manager_id
         )
    into result
    from app.profiles p
    join app.organisations o on o.id = p.org_id
   where p.id = (select auth.uid());

  if result is null then
    raise exception 'No profile for the signed-in user'
      using errcode = 'PT404',
            hint = 'Sign in as a user who belongs to an organisation, or ask an admin to add you.';
  end if;
  return result;
end;
$$;
comment on function public.get_my_profile() is 'The signed-in person''s profile with their organisation''s name.';

revoke execute on function public.get_my_profile() from public, anon;
grant execute on function public.get_my_profile() to authenticated, service_role;
