-- A resend the mail never carried uses up none of the invitation's allowance (docs/admin.md
-- "Revoking or resending an invitation").
--
-- What and why: resend-invitation records a resend (record_invitation_resend) before Auth is
-- asked, so nothing is mailed that is not on record. When Auth then failed (502, or 429 when it
-- was out of mail), the resend stayed counted: after an outage of three tries the admin was
-- refused for 24 hours an invitation nobody had received again.
-- Now resend-invitation gives a resend that failed back with
-- public.record_failed_invitation_resend(actor_id, invitation_id) (service role): the newest
-- resend of this admin for this invitation not yet marked is marked failed (`failed_at`), kept
-- on record, and app.refuse_too_many_resends counts only the others: those that went out and
-- those still on their way (so resends pressed at once are still counted while Auth answers,
-- and a worker that dies before it knows leaves its resend counted, never freed).
-- Restated whole: app.refuse_too_many_resends (20261213200000), the `failed_at` filter the one
-- change. supabase/tests/invitations/a_failed_resend_uses_up_no_allowance.test.sql,
-- tests/unit/resend-invitation.test.ts.

alter table app.invitation_resends add column failed_at timestamptz;
comment on column app.invitation_resends.failed_at is
  'When the mail of this resend failed (record_failed_invitation_resend): kept on record, not counted by the limit.';
grant update (failed_at) on app.invitation_resends to service_role;

create or replace function app.refuse_too_many_resends(org_id uuid, invitation_id uuid)
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
     and r.resent_at > now() - interval '24 hours'
     and r.failed_at is null;
  if v_count >= app.invitation_resend_limit() then
    raise exception 'This invitation was sent again % times in the last 24 hours', v_count using errcode = 'PT409',
      detail = to_char((v_oldest + interval '24 hours') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
      hint = 'Ask them to look in their spam folder; it can be sent again 24 hours after the first of these.';
  end if;
end;
$$;

create function public.record_failed_invitation_resend(actor_id uuid, invitation_id uuid)
returns boolean
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid;
  v_marked uuid;
begin
  select p.org_id into v_org from app.profiles p
   where p.id = record_failed_invitation_resend.actor_id and p.role = 'admin' and p.deactivated_at is null;
  if v_org is null then
    raise exception 'Only active admins can send an invitation again' using errcode = '42501';
  end if;
  -- The newest of this admin's not yet marked: the one whose mail just failed (two pressed at
  -- once are the same invitation, so which of them is marked changes no count).
  update app.invitation_resends r
     set failed_at = now()
   where r.id = (select r2.id from app.invitation_resends r2
                  where r2.org_id = v_org and r2.invitation_id = record_failed_invitation_resend.invitation_id
                    and r2.resent_by = record_failed_invitation_resend.actor_id and r2.failed_at is null
                    and r2.resent_at > now() - interval '24 hours'
                  order by r2.resent_at desc, r2.id
                  limit 1
                  for update)
  returning r.id into v_marked;
  return v_marked is not null;
end;
$$;
comment on function public.record_failed_invitation_resend(uuid, uuid) is
  'Service role only (resend-invitation): the admin''s newest resend of this invitation failed to go out (Auth or the mail failed); it stays on record and no longer counts against the limit of 3 in 24 hours. True when one was marked.';
revoke execute on function public.record_failed_invitation_resend(uuid, uuid) from public, anon, authenticated;
grant execute on function public.record_failed_invitation_resend(uuid, uuid) to service_role;
