-- An admin sends a pending invitation again (migration 20261213200000, docs/admin.md "Revoking
-- or resending an invitation"): record_invitation_resend (service role, resend-invitation)
-- stores and audits the resend before anything is mailed, answers a sent one's address for
-- Auth to invite again and, for one that made nobody, the mail to its owner again (stored where
-- no member reads it); the answer's invitation is the same shape for both. Three resends in 24
-- hours, then PT409 saying when; only active admins; PT404 for anything not pending here.
begin;
select plan(15);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select * from tests.create_pending_invitations(:'admin', :'other_csm') \gset
select tests.authenticate_as_service_role();

select throws_ok(format('select public.record_invitation_resend(%L, %L)', :'manager', :'sent_user'), '42501',
                 'Only active admins can send an invitation again', 'a manager cannot');
select throws_ok(format('select public.record_invitation_resend(%L, null)', :'admin'), '22023', 'invitation_id is required',
                 'a missing id is named');
select throws_ok(format('select public.record_invitation_resend(%L, %L)', :'other_manager', :'sent_user'), '42501',
                 'Only active admins can send an invitation again', 'nor anyone of another organisation');
select throws_ok(format('select public.record_invitation_resend(%L, %L)', :'admin', :'csm'), 'PT404',
                 'No pending invitation with this id', 'a person who joined is no invitation');

select is(public.record_invitation_resend(:'admin', :'sent_user'),
          jsonb_build_object('invitation', jsonb_build_object('id', :'sent_user', 'email', 'sent.one@engine.example',
                                                              'full_name', 'Sent One', 'role', 'csm')),
          'a sent one: its address, for Auth to invite again');
select is(public.record_invitation_resend(:'admin', :'unsent_id') -> 'invitation',
          jsonb_build_object('id', :'unsent_id', 'email', :'elsewhere', 'full_name', 'Olly Elsewhere', 'role', 'viewer'),
          'one that made nobody: the same invitation shape');
select is((select count(*)::int from app.invitation_notices n where n.to_address = :'elsewhere'), 2,
          'and its owner''s mail stored again before it is sent');
select is((select string_agg(a.action || ' ' || (a.after ->> 'email'), ', ' order by a.after ->> 'email')
             from app.admin_audit_log a where a.action = 'resend_invitation'),
          format('resend_invitation %s, resend_invitation sent.one@engine.example', :'elsewhere'), 'both audited alike');

-- The limit: 3 in 24 hours, per invitation.
select public.record_invitation_resend(:'admin', :'sent_user'), public.record_invitation_resend(:'admin', :'sent_user') \gset
select throws_ok(format('select public.record_invitation_resend(%L, %L)', :'admin', :'sent_user'), 'PT409',
                 'This invitation was sent again 3 times in the last 24 hours', 'a fourth within 24 hours is refused');
select is((select count(*)::int from app.invitation_resends r where r.invitation_id = :'sent_user'), 3, 'and not counted');
select lives_ok(format('select public.record_invitation_resend(%L, %L)', :'admin', :'unsent_id'), 'another invitation has its own count');
-- Resends older than 24 hours no longer count.
update app.invitation_resends r set resent_at = now() - interval '25 hours'
 where r.id = (select r2.id from app.invitation_resends r2 where r2.invitation_id = :'sent_user' order by r2.resent_at, r2.id limit 1);
select lives_ok(format('select public.record_invitation_resend(%L, %L)', :'admin', :'sent_user'), 'a day later it may be sent again');

-- A revoked invitation cannot be sent again.
select tests.authenticate_as('e_admin');
select public.revoke_invitation(:'sent_user') \gset
select tests.authenticate_as_service_role();
select throws_ok(format('select public.record_invitation_resend(%L, %L)', :'admin', :'sent_user'), 'PT404',
                 'No pending invitation with this id', 'a revoked invitation is not sent again');
select tests.clear_authentication();
select is((select count(*)::int from app.invitation_resends r where r.invitation_id = :'sent_user'), 0, 'its resends go with it');

select tests.authenticate_as('e_admin');
select throws_ok('select count(*) from app.invitation_resends', '42501', null, 'members never read the resends');

select * from finish();
rollback;
