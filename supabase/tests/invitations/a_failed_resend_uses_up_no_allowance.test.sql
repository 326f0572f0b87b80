-- A resend the mail never carried uses up none of the invitation's allowance (migration
-- 20261215300000, docs/admin.md "Revoking or resending an invitation"): resend-invitation
-- records the resend before Auth is asked; when Auth (or the mail of one that made nobody)
-- fails, record_failed_invitation_resend (service role) marks it failed, and the limit of 3 in
-- 24 hours counts only the resends that went out (or are still on their way). Each failed one
-- stays on record, and the limit still holds for the ones that went out.
begin;
select plan(9);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select * from tests.create_pending_invitations(:'admin', :'other_csm') \gset
select tests.authenticate_as_service_role();

-- Auth down: five resends, each recorded then marked failed.
select public.record_invitation_resend(:'admin', :'sent_user'), public.record_failed_invitation_resend(:'admin', :'sent_user'),
       public.record_invitation_resend(:'admin', :'sent_user'), public.record_failed_invitation_resend(:'admin', :'sent_user'),
       public.record_invitation_resend(:'admin', :'sent_user'), public.record_failed_invitation_resend(:'admin', :'sent_user'),
       public.record_invitation_resend(:'admin', :'sent_user'), public.record_failed_invitation_resend(:'admin', :'sent_user') \gset
select is((select count(*)::int from app.invitation_resends r where r.invitation_id = :'sent_user' and r.failed_at is not null), 4,
          'each failed resend stays on record, marked failed');
-- Auth back: three go out, then the fourth is refused.
select lives_ok(format('select public.record_invitation_resend(%L, %L)', :'admin', :'sent_user'), 'after four failures the first that goes out is allowed');
select lives_ok(format('select public.record_invitation_resend(%L, %L)', :'admin', :'sent_user'), 'the second');
select lives_ok(format('select public.record_invitation_resend(%L, %L)', :'admin', :'sent_user'), 'the third');
select throws_ok(format('select public.record_invitation_resend(%L, %L)', :'admin', :'sent_user'), 'PT409',
                 'This invitation was sent again 3 times in the last 24 hours', 'a fourth that went out is refused, as before');

-- Marking marks one in-flight resend of this admin's, never another's or a sent one twice.
select throws_ok(format('select public.record_failed_invitation_resend(%L, %L)', :'manager', :'sent_user'), '42501',
                 'Only active admins can send an invitation again', 'only an active admin''s resend is marked');
select is(public.record_failed_invitation_resend(:'admin', gen_random_uuid()), false, 'nothing to mark: false, nothing changed');

select tests.authenticate_as('e_admin');
select throws_ok(format('select public.record_failed_invitation_resend(%L, %L)', :'admin', :'sent_user'), '42501', null,
                 'a signed-in person cannot mark a resend failed');
select tests.clear_authentication();
select is((select count(*)::int from app.invitation_resends r where r.invitation_id = :'sent_user' and r.failed_at is null), 3,
          'the three that went out count');

select * from finish();
rollback;
