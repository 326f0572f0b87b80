-- A resend whose mail failed is audited as a failed resend, not only as a resend (docs/admin.md
-- "Revoking or resending an invitation").
--
-- What and why: resend-invitation records and audits a resend (`resend_invitation`) before
-- Auth or the mail transport is asked, so nothing goes out that is not on record. When the mail
-- then failed, record_failed_invitation_resend gave the resend back to the allowance but left
-- the audit saying only `resend_invitation`: Admin → Audit told an admin the invitation had been
-- sent again when nobody had received it. The log is append-only, so the attempt's entry stays
-- and the failure is now appended after it: `resend_invitation_failed`, in the shape the
-- attempt's entry has (entity person, the invitation's id, before null, after {email,
-- full_name}: the attempt's own `after`), by the admin whose resend it was. A call that marks
-- nothing (no resend of theirs on its way) writes nothing.
-- Restated from 20261215300000: the audit entry the one change.
-- supabase/tests/invitations/a_failed_resend_is_audited_as_failed.test.sql.

create or replace function public.record_failed_invitation_resend(actor_id uuid, invitation_id uuid)
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
  if v_marked is null then
    return false;
  end if;
  -- What happened, with what the attempt's own entry said of the invitation.
  perform app.write_admin_audit(v_org, record_failed_invitation_resend.actor_id, 'person',
    record_failed_invitation_resend.invitation_id::text, 'resend_invitation_failed', null,
    (select l.after from app.admin_audit_log l
      where l.org_id = v_org and l.entity = 'person' and l.entity_id = record_failed_invitation_resend.invitation_id::text
        and l.action = 'resend_invitation' and l.actor_id = record_failed_invitation_resend.actor_id
      order by l.id desc
      limit 1));
  return true;
end;
$$;
comment on function public.record_failed_invitation_resend(uuid, uuid) is
  'Service role only (resend-invitation): the admin''s newest resend of this invitation failed to go out (Auth or the mail failed); it stays on record, no longer counts against the limit of 3 in 24 hours, and is audited as resend_invitation_failed. True when one was marked.';
