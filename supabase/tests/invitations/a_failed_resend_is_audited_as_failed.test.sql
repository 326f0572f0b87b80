-- A resend whose mail failed is audited as what happened (migration 20261216300000,
-- docs/admin.md "Revoking or resending an invitation"): record_failed_invitation_resend
-- appends `resend_invitation_failed`, in the shape of the `resend_invitation` entry the
-- attempt wrote (entity person, the invitation's id, after {email, full_name}); a call that
-- marks nothing writes nothing.
begin;
select plan(4);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select * from tests.create_pending_invitations(:'admin', :'other_csm') \gset
select tests.authenticate_as_service_role();

select public.record_invitation_resend(:'admin', :'sent_user') \gset
select public.record_failed_invitation_resend(:'admin', :'sent_user') \gset

select is((select count(*)::int from app.admin_audit_log l where l.entity_id = :'sent_user' and l.action = 'resend_invitation_failed'), 1,
          'the failed resend has its own entry');
select is((select jsonb_build_object('entity', l.entity, 'actor', l.actor_id, 'before', l.before, 'after', l.after)
             from app.admin_audit_log l where l.entity_id = :'sent_user' and l.action = 'resend_invitation_failed'),
          (select jsonb_build_object('entity', l.entity, 'actor', l.actor_id, 'before', l.before, 'after', l.after)
             from app.admin_audit_log l where l.entity_id = :'sent_user' and l.action = 'resend_invitation'),
          'in the shape of the resend entry: the same person, invitation, email and name');
select is(public.record_failed_invitation_resend(:'admin', :'sent_user'), false, 'nothing left to mark');
select is((select count(*)::int from app.admin_audit_log l where l.entity_id = :'sent_user' and l.action = 'resend_invitation_failed'), 1,
          'a call that marks nothing audits nothing');

select * from finish();
rollback;
