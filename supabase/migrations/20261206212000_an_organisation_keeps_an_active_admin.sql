-- An organisation always keeps at least one active admin (docs/admin.md "People").
--
-- What and why: nobody can demote or deactivate themselves, so one admin alone can never
-- leave the organisation without one. Two admins could: each demoting (or deactivating)
-- the other at the same moment, both calls answered 200 (19 runs out of 20 in an
-- attacker's test), because each call checked its caller's authority before it locked
-- anything and locked only the person it changed. The organisation was then left with no
-- one who can reach people, settings, workflows or the audit log.
--
-- Now an admin losing that standing (role changed from admin, or deactivated) is a change
-- made one at a time per organisation: the trigger takes the organisation's admin lock
-- (a transaction advisory lock, held to commit) and then, on what has committed by then,
-- requires that the caller is still an active admin and that another active admin remains.
-- The second of two crossing calls waits for the first, then finds its caller no longer
-- an admin and is refused (42501), or finds no other admin and is refused (PT409). Like
-- app.guard_profile_changes, it applies to people acting through the API; the service
-- role and migrations are exempt.

create or replace function app.profiles_keep_an_active_admin()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user <> 'authenticated' then
    return new;
  end if;
  -- Serialises every removal of an admin in this organisation; released at commit.
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('renubu.admins:' || old.org_id::text, 0));
  -- Read after the lock, so a removal that committed meanwhile counts (PL/pgSQL takes a
  -- new snapshot per statement in a read-committed trigger).
  if not exists (select 1 from app.profiles p
                  where p.id = (select auth.uid()) and p.org_id = old.org_id
                    and p.role = 'admin' and p.deactivated_at is null) then
    raise exception 'Only admins can change an admin' using errcode = '42501',
      hint = 'Your own role changed meanwhile.';
  end if;
  if not exists (select 1 from app.profiles p
                  where p.org_id = old.org_id and p.id <> old.id
                    and p.role = 'admin' and p.deactivated_at is null) then
    raise exception 'An organisation keeps at least one active admin' using errcode = 'PT409',
      hint = 'Make someone else an admin first.';
  end if;
  return new;
end;
$$;
revoke execute on function app.profiles_keep_an_active_admin() from public, anon;

create trigger profiles_keep_an_active_admin
  before update on app.profiles
  for each row
  when (old.role = 'admin' and old.deactivated_at is null
        and (new.role is distinct from 'admin' or new.deactivated_at is not null))
  execute function app.profiles_keep_an_active_admin();
