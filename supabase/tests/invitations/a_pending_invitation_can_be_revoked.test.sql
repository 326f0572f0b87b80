-- An admin takes back a pending invitation (migration 20261213200000, docs/admin.md "Revoking or
-- resending an invitation"): a sent one's Auth user goes (its link with it) and with it its
-- person and invitation rows, what it was given goes back unassigned; one that made nobody
-- loses its row and its owner's mail. Both leave People, are audited alike and can be invited
-- again. Only admins revoke; a person who joined, another organisation's invitation and an
-- unknown id are the same PT404.
begin;
select plan(22);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select email as elsewhere from app.profiles where id = :'other_csm' \gset
select tests.create_supabase_user('sent_one', 'sent.one@engine.example') as sent_user \gset
-- Everyone else of the world has joined: confirmed and signed in.
update auth.users u set email_confirmed_at = now(), last_sign_in_at = now() where u.id <> :'sent_user';
select tests.create_member('o_admin', :'other_org', 'admin') as other_admin \gset
select tests.create_supabase_user('other_sent', 'other.sent@other.example') as other_sent_user \gset
select tests.authenticate_as_service_role();
select public.create_invited_person(:'admin', :'sent_user', 'sent.one@engine.example', 'Sent One', 'csm', :'manager') as sent \gset
select public.create_unsent_invitation(:'admin', :'elsewhere', 'Olly Elsewhere', 'viewer') as kept \gset
select (:'kept'::jsonb #>> '{person,id}') as unsent_id \gset
select public.create_invited_person(:'other_admin', :'other_sent_user', 'other.sent@other.example', 'Other Sent', 'csm') \gset
-- The sent one was given a customer and a workflow before it was taken back.
select tests.clear_authentication();
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Given Co', 1000, 70, current_date + 40, :'sent_user') returning id as given_customer \gset

select tests.authenticate_as('e_csm');
select throws_ok(format('select public.revoke_invitation(%L)', :'sent_user'), '42501', 'Only admins can revoke invitations', 'a CSM cannot revoke');
select tests.authenticate_as('e_manager');
select throws_ok(format('select public.revoke_invitation(%L)', :'sent_user'), '42501', 'Only admins can revoke invitations', 'nor a manager');

select tests.authenticate_as('e_admin');
select throws_ok('select public.revoke_invitation(null)', '22023', 'invitation_id is required', 'a missing id is named');
select throws_ok(format('select public.revoke_invitation(%L)', gen_random_uuid()), 'PT404', 'No pending invitation with this id', 'an unknown id');
select throws_ok(format('select public.revoke_invitation(%L)', :'other_sent_user'), 'PT404', 'No pending invitation with this id',
                 'another organisation''s invitation: the same words');
select throws_ok(format('select public.revoke_invitation(%L)', :'csm'), 'PT404', 'No pending invitation with this id',
                 'a person who joined is no invitation (deactivate them instead)');
select is((select count(*)::int from app.admin_audit_log a where a.action = 'revoke_invitation'), 0, 'a refusal writes nothing');

-- A sent invitation.
select is(public.revoke_invitation(:'sent_user'),
          jsonb_build_object('revoked', jsonb_build_object('id', :'sent_user', 'email', 'sent.one@engine.example',
                                                           'full_name', 'Sent One', 'role', 'csm')),
          'a sent invitation revoked: said by its address and name');
select tests.clear_authentication();
select is((select count(*)::int from auth.users where id = :'sent_user'), 0, 'its Auth user is gone, and the link with it');
select is((select count(*)::int from app.profiles where id = :'sent_user'), 0, 'its person is gone');
select is((select count(*)::int from app.invitations where id = :'sent_user'), 0, 'and its invitation');
select is((select assigned_to from app.customers where id = :'given_customer'), null, 'what it was given goes back unassigned');

-- One that made nobody.
select tests.authenticate_as('e_admin');
select is(public.revoke_invitation(:'unsent_id') -> 'revoked',
          jsonb_build_object('id', :'unsent_id', 'email', :'elsewhere', 'full_name', 'Olly Elsewhere', 'role', 'viewer'),
          'one that made nobody answers alike');
select is((select count(*)::int from jsonb_array_elements(public.list_people()) p
            where p ->> 'id' in (:'sent_user', :'unsent_id')), 0, 'neither is in People any more');
select is((select string_agg(a.action || ' ' || (a.before ->> 'email'), ', ' order by a.before ->> 'email')
             from app.admin_audit_log a where a.action = 'revoke_invitation'),
          format('revoke_invitation %s, revoke_invitation sent.one@engine.example', :'elsewhere'),
          'both audited alike, with the address');
select throws_ok(format('select public.revoke_invitation(%L)', :'unsent_id'), 'PT404', 'No pending invitation with this id',
                 'revoked once: a second revoke finds nothing');
select tests.clear_authentication();
select is((select count(*)::int from app.invitations where id = :'unsent_id'), 0, 'its row is gone');
select is((select count(*)::int from app.invitation_notices n where n.to_address = :'elsewhere'), 0, 'with its owner''s mail');
select is((select count(*)::int from app.profiles where id = :'other_csm'), 1, 'the address''s owner elsewhere is untouched');
select is((select count(*)::int from app.profiles where id = :'other_sent_user'), 1, 'another organisation''s invitation stands');

-- Both addresses can be invited again.
select tests.authenticate_as_service_role();
select is(public.check_invited_person(:'admin', 'sent.one@engine.example', 'Sent One', 'csm'),
          jsonb_build_object('ok', true, 'has_account', false), 'the sent one''s address can be invited again');
select ok(public.check_invited_person(:'admin', :'elsewhere', 'Olly Elsewhere', 'viewer') ? 'as_invited',
          'and the other answered as any invitation again');

select * from finish();
rollback;
