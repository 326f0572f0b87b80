-- An invitation of an address this organisation cannot take is kept as a sent one is
-- (migration 20261212400000, docs/admin.md "Inviting someone"): create_unsent_invitation keeps
-- its row, its audit entry and its key, list_people lists it as invited with who invited, a
-- second invitation of the address is refused as a sent one's is, and the mail to its owner is
-- written where no member reads it. Admins and managers of the organisation read its
-- invitations; nobody else does.
begin;
select plan(18);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select email as elsewhere from app.profiles where id = :'other_csm' \gset
select tests.create_supabase_user('sent_one', 'sent.one@engine.example') as sent_user \gset
select tests.authenticate_as_service_role();

select public.create_unsent_invitation(:'admin', :'elsewhere', ' Olly Elsewhere ', 'csm', :'manager', 'CSM', 'mid') as kept \gset
select is((:'kept'::jsonb -> 'person') - 'id' - 'created_at',
          jsonb_build_object('full_name', 'Olly Elsewhere', 'email', :'elsewhere', 'role', 'csm', 'title', 'CSM',
                             'experience_level', 'mid', 'manager_id', :'manager',
                             'manager_name', (select full_name from app.profiles where id = :'manager'), 'active', true,
                             'deactivated_at', null, 'open_workflows', 0, 'open_tasks', 0, 'customers', 0, 'status', 'invited'),
          'answered as a sent invitation''s person');
select is((select row(i.org_id, i.person_id, i.invited_by)::text from app.invitations i where i.id = (:'kept'::jsonb #>> '{person,id}')::uuid),
          row(:'org'::uuid, null::uuid, :'admin'::uuid)::text, 'kept under the answered id, sent to nobody, by the admin');
select is((select a.action || ' ' || (a.after ->> 'full_name') from app.admin_audit_log a
            where a.entity = 'person' and a.entity_id = :'kept'::jsonb #>> '{person,id}'),
          'invite Olly Elsewhere', 'audited as a sent invitation is');
select is((select count(*)::int from app.invitation_notices n where n.to_address = :'elsewhere'), 1, 'its owner''s mail written');
select ok(:'kept'::jsonb #>> '{notice,text}' like '%ask them to invite another address of yours%'
          and :'kept'::jsonb #>> '{notice,subject}' = 'Your invitation to Engine Org on Renubu',
          'the mail says to have another address invited');
select is((select count(*)::int from app.profiles where lower(email) = lower(:'elsewhere')), 1, 'nobody made, nobody moved');

select throws_ok(format($$ select public.create_unsent_invitation(%L, %L, 'Olly Again', 'csm') $$, :'admin', :'elsewhere'),
  'PT409', 'That person already belongs to an organisation', 'a second invitation of the address: as for a sent one');
select throws_ok(format($$ select public.check_invited_person(%L, upper(%L), 'Olly Again', 'csm') $$, :'admin', :'elsewhere'),
  'PT409', 'That person already belongs to an organisation', 'and checked so before anything is sent');

-- Under a key, the same invitation again answers what it kept.
select public.create_unsent_invitation(:'admin', 'loner@elsewhere.example', 'Lone', 'viewer', idempotency_key => 'k-1') as keyed \gset
select is(public.create_unsent_invitation(:'admin', 'loner@elsewhere.example', 'Lone', 'viewer', idempotency_key => 'k-1'),
          jsonb_build_object('person', :'keyed'::jsonb -> 'person', 'replayed', true), 'under its key: the person it kept, replayed');
select is(public.check_invited_person(:'admin', 'loner@elsewhere.example', 'Lone', 'viewer', idempotency_key => 'k-1'),
          jsonb_build_object('ok', true, 'replayed', true, 'person', :'keyed'::jsonb -> 'person'), 'and the check answers it too');

-- A sent invitation is kept too, under its person's id.
select public.create_invited_person(:'admin', :'sent_user', 'sent.one@engine.example', 'Sent One', 'viewer') as sent \gset
select is((select i.person_id from app.invitations i where i.id = :'sent_user'), :'sent_user'::uuid, 'a sent invitation is kept under its person');

select tests.authenticate_as('e_admin');
select is((select p - 'created_at' - 'id' - 'invited_at' from jsonb_array_elements(public.list_people()) p where p ->> 'email' = :'elsewhere'),
          ((:'kept'::jsonb -> 'person') - 'created_at' - 'id') || jsonb_build_object('last_sign_in_at', null,
            'invited_by', jsonb_build_object('id', :'admin', 'full_name', (select full_name from app.profiles where id = :'admin'))),
          'People lists it as invited, with who invited');
select is((select p -> 'invited_by' ->> 'id' from jsonb_array_elements(public.list_people()) p where p ->> 'id' = :'sent_user'),
          :'admin', 'and says who invited a sent one');
select is((select count(*)::int from app.invitations), 3, 'an admin reads the organisation''s invitations');
select throws_ok('select count(*) from app.invitation_notices', '42501', null, 'but never the mail to an address elsewhere');
select tests.authenticate_as('e_manager');
select is((select count(*)::int from app.invitations), 3, 'a manager too');
select tests.authenticate_as('e_csm');
select is((select count(*)::int from app.invitations), 0, 'a CSM none');
select tests.authenticate_as('o_manager');
select is((select count(*)::int from app.invitations), 0, 'another organisation''s manager none');

select * from finish();
rollback;
