-- A pending invitation can be revoked or sent again (docs/admin.md "Revoking or resending an
-- invitation").
--
-- What and why: until now an admin who invited someone could neither take the invitation back
-- nor send it again: the link stayed good until used, a mistyped name or role stayed until the
-- person joined, and an invitation lost in a spam folder needed the address invited again,
-- which is refused (PT409) while the first one stands.
-- Now:
-- - public.revoke_invitation(invitation_id) (admins): a pending invitation (sent, its person not
--   joined yet: never confirmed nor signed in; or one that made nobody) is taken back in one
--   transaction. A sent one's Auth user is deleted — its link with it — and its profile and
--   invitation rows go by their cascades; what it was given goes back to the team unassigned
--   (the references' own `on delete set null`), as a viewer's open work does. One that made
--   nobody loses its row. Either way the row leaves People, the address can be invited again,
--   and Admin → Audit has a `revoke_invitation` entry. Revoking looks the same for both.
-- - public.record_invitation_resend(actor_id, invitation_id) (service role, the
--   resend-invitation function): stores the resend first (app.invitation_resends, its audit
--   entry `resend_invitation`), refusing a fourth within 24 hours (PT409), and answers what to
--   send: a sent one's address (Auth's invite mail again, a new link that voids the old one),
--   or, for one that made nobody, the mail to the address's owner again (app.invitation_notice,
--   kept in app.invitation_notices). Its answer to the admin is the same for both.
-- - app.lock_pending_invitation: the one rule of what is pending, locking the row it reads, so a
--   person accepting at that moment either joins before (then PT404 here) or finds no link.
-- supabase/tests/invitations/a_pending_invitation_can_be_revoked.test.sql,
-- supabase/tests/invitations/a_pending_invitation_can_be_sent_again.test.sql.

-- Every time an invitation was sent again: the rate limit's count, and who did it when.
create table app.invitation_resends (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references app.organisations (id) on delete cascade,
  -- the id People lists: a sent one's person (= its invitation), or an unsent one's invitation.
  -- No foreign key: a person invited before invitations were kept has no invitation row.
  invitation_id uuid not null,
  resent_by uuid,
  resent_at timestamptz not null default now(),
  constraint invitation_resends_sender_is_in_organisation foreign key (resent_by, org_id)
    references app.profiles (id, org_id) on delete set null (resent_by)
);
create index invitation_resends_org_id_invitation_id_idx on app.invitation_resends (org_id, invitation_id, resent_at);
create index invitation_resends_resent_by_idx on app.invitation_resends (resent_by, org_id);
comment on table app.invitation_resends is
  'Service role only: each time a pending invitation was sent again (record_invitation_resend), for its rate limit; the audit log says it to admins.';
alter table app.invitation_resends enable row level security;
grant select, insert, delete on app.invitation_resends to service_role;

-- The pending invitation of this id in the organisation, locked for the change about to be made:
-- {id, email, full_name, role, sent} — `sent` when it made a person (who has not joined yet:
-- never confirmed the address nor signed in, and not deactivated), false for one that made
-- nobody. Null when there is none: unknown, another organisation's, joined, or revoked.
create function app.lock_pending_invitation(org_id uuid, invitation_id uuid)
returns jsonb
language plpgsql
security definer -- reads and locks auth.users (not readable by API roles) for one organisation
set search_path = ''
as $$
declare
  v_found jsonb;
begin
  -- Asked as a signed-in person, only of their own organisation.
  if (select auth.uid()) is not null and lock_pending_invitation.org_id is distinct from app.current_org_id() then
    raise exception 'Only your own organisation''s invitations can be changed' using errcode = '42501';
  end if;
  select jsonb_build_object('id', i.id, 'email', i.email, 'full_name', i.full_name, 'role', i.role, 'sent', false)
    into v_found
    from app.invitations i
   where i.id = lock_pending_invitation.invitation_id and i.org_id = lock_pending_invitation.org_id and i.person_id is null
     for update;
  if v_found is not null then
    return v_found;
  end if;
  -- The Auth user locked too: the invite link's verification waits, or is what we wait for.
  select jsonb_build_object('id', p.id, 'email', p.email, 'full_name', p.full_name, 'role', p.role, 'sent', true)
    into v_found
    from app.profiles p
    join auth.users u on u.id = p.id
   where p.id = lock_pending_invitation.invitation_id and p.org_id = lock_pending_invitation.org_id
     and p.deactivated_at is null and u.email_confirmed_at is null and u.last_sign_in_at is null
     for update of p, u;
  return v_found;
end;
$$;
comment on function app.lock_pending_invitation(uuid, uuid) is
  'The pending invitation of this id in the organisation, locked: {id, email, full_name, role, sent}; null if none (unknown, another organisation''s, joined or revoked).';
revoke execute on function app.lock_pending_invitation(uuid, uuid) from public, anon;
grant execute on function app.lock_pending_invitation(uuid, uuid) to authenticated, service_role;

-- Takes a pending invitation (as app.lock_pending_invitation found it) away: a sent one's Auth
-- user (and so its link, profile, invitation and key rows, by their cascades), or the row of one
-- that made nobody (its notices with it); and its resends.
create function app.delete_pending_invitation(org_id uuid, invitation jsonb)
returns void
language plpgsql
security definer -- deletes from auth.users, which API roles cannot touch
set search_path = ''
as $$
declare
  v_id uuid := (delete_pending_invitation.invitation ->> 'id')::uuid;
begin
  if (select auth.uid()) is not null and delete_pending_invitation.org_id is distinct from app.current_org_id() then
    raise exception 'Only your own organisation''s invitations can be changed' using errcode = '42501';
  end if;
  if (delete_pending_invitation.invitation ->> 'sent')::boolean then
    delete from auth.users u
     where u.id = v_id and u.email_confirmed_at is null and u.last_sign_in_at is null
       and exists (select 1 from app.profiles p where p.id = v_id and p.org_id = delete_pending_invitation.org_id);
  else
    delete from app.invitations i
     where i.id = v_id and i.org_id = delete_pending_invitation.org_id and i.person_id is null;
  end if;
  delete from app.invitation_resends r
   where r.org_id = delete_pending_invitation.org_id and r.invitation_id = v_id;
end;
$$;
revoke execute on function app.delete_pending_invitation(uuid, jsonb) from public, anon;
grant execute on function app.delete_pending_invitation(uuid, jsonb) to authenticated, service_role;

-- Refused when no pending invitation has this id: the same words for unknown, another
-- organisation's, accepted or revoked (never say which).
create function app.refuse_no_pending_invitation()
returns void
language plpgsql
set search_path = ''
as $$
begin
  raise exception 'No pending invitation with this id' using errcode = 'PT404',
    hint = 'It may have been accepted or revoked meanwhile: reload the list of people.';
end;
$$;
revoke execute on function app.refuse_no_pending_invitation() from public, anon;
grant execute on function app.refuse_no_pending_invitation() to authenticated, service_role;

create function public.revoke_invitation(invitation_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  v_invitation jsonb;
begin
  if revoke_invitation.invitation_id is null then
    raise exception 'invitation_id is required' using errcode = '22023';
  end if;
  if v_org is null or not app.has_role('admin') or not app.caller_is_active() then
    raise exception 'Only admins can revoke invitations' using errcode = '42501';
  end if;
  v_invitation := app.lock_pending_invitation(v_org, revoke_invitation.invitation_id);
  if v_invitation is null then
    perform app.refuse_no_pending_invitation();
  end if;
  -- Audited in words an admin knows, never whether it was sent (nobody of the organisation may
  -- learn that an address has an account elsewhere).
  perform app.record_admin_change('person', v_invitation ->> 'id', 'revoke_invitation',
    jsonb_build_object('email', v_invitation ->> 'email', 'full_name', v_invitation ->> 'full_name',
                       'role', v_invitation ->> 'role'), null);
  perform app.delete_pending_invitation(v_org, v_invitation);
  return jsonb_build_object('revoked', v_invitation - 'sent');
end;
$$;
comment on function public.revoke_invitation(uuid) is
  'Admins: takes back a pending invitation (its link stops working, it leaves People, the address can be invited again; anything it was given goes back unassigned); audited. PT404 when none is pending under the id.';
revoke execute on function public.revoke_invitation(uuid) from public, anon;
grant execute on function public.revoke_invitation(uuid) to authenticated;

-- How often one invitation may be sent again: 3 times in any 24 hours (a mail provider's
-- patience, and a person's; Auth's own mail budget is the project's).
create function app.invitation_resend_limit()
returns integer
language plpgsql
immutable
set search_path = ''
as $$
begin
  return 3;
end;
$$;
revoke execute on function app.invitation_resend_limit() from public, anon;
grant execute on function app.invitation_resend_limit() to authenticated, service_role;

-- Refuses another resend of this invitation when it was sent again the limit's number of times
-- in the last 24 hours, saying when it may be sent again.
create function app.refuse_too_many_resends(org_id uuid, invitation_id uuid)
returns void
language plpgsql
stable
set search_path = ''
as $$
declare
  v_count integer;
  v_oldest timestamptz;
begin
  select count(*)::integer, min(r.resent_at) into v_count, v_oldest
    from app.invitation_resends r
   where r.org_id = refuse_too_many_resends.org_id and r.invitation_id = refuse_too_many_resends.invitation_id
     and r.resent_at > now() - interval '24 hours';
  if v_count >= app.invitation_resend_limit() then
    raise exception 'This invitation was sent again % times in the last 24 hours', v_count using errcode = 'PT409',
      detail = to_char((v_oldest + interval '24 hours') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
      hint = 'Ask them to look in their spam folder; it can be sent again 24 hours after the first of these.';
  end if;
end;
$$;
revoke execute on function app.refuse_too_many_resends(uuid, uuid) from public, anon, authenticated;
grant execute on function app.refuse_too_many_resends(uuid, uuid) to service_role;

create function public.record_invitation_resend(actor_id uuid, invitation_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid;
  v_invitation jsonb;
  v_unsent app.invitations;
  v_notice app.invitation_notices;
begin
  if record_invitation_resend.invitation_id is null then
    raise exception 'invitation_id is required' using errcode = '22023';
  end if;
  select p.org_id into v_org from app.profiles p
   where p.id = record_invitation_resend.actor_id and p.role = 'admin' and p.deactivated_at is null;
  if v_org is null then
    raise exception 'Only active admins can send an invitation again' using errcode = '42501';
  end if;
  -- Locked: two resends at once are counted one after the other.
  v_invitation := app.lock_pending_invitation(v_org, record_invitation_resend.invitation_id);
  if v_invitation is null then
    perform app.refuse_no_pending_invitation();
  end if;
  perform app.refuse_too_many_resends(v_org, record_invitation_resend.invitation_id);
  insert into app.invitation_resends (org_id, invitation_id, resent_by)
  values (v_org, record_invitation_resend.invitation_id, record_invitation_resend.actor_id);
  perform app.write_admin_audit(v_org, record_invitation_resend.actor_id, 'person', v_invitation ->> 'id',
    'resend_invitation', null, jsonb_build_object('email', v_invitation ->> 'email', 'full_name', v_invitation ->> 'full_name'));
  if (v_invitation ->> 'sent')::boolean then
    return jsonb_build_object('invitation', v_invitation - 'sent');
  end if;
  -- One that made nobody: its owner is told again, the mail stored before it is sent.
  select * into v_unsent from app.invitations i where i.id = record_invitation_resend.invitation_id;
  v_notice := app.invitation_notice(v_unsent);
  insert into app.invitation_notices values (v_notice.*);
  return jsonb_build_object('invitation', v_invitation - 'sent',
    'notice', jsonb_build_object('to', v_notice.to_address, 'subject', v_notice.subject, 'text', v_notice.body_text));
end;
$$;
comment on function public.record_invitation_resend(uuid, uuid) is
  'Service role only (resend-invitation): records that an admin sends a pending invitation again (at most 3 times in 24 hours, else PT409 with the time it may be sent again as detail) and audits it; answers {invitation{id, email, full_name, role}} for one Auth sends (invite again), or with `notice`, the mail to send its address''s owner instead (never shown to the organisation).';
revoke execute on function public.record_invitation_resend(uuid, uuid) from public, anon, authenticated;
grant execute on function public.record_invitation_resend(uuid, uuid) to service_role;
