-- list_team_members says who was invited and has not joined yet (migration 20261209302000):
-- `invited` is true for a person who has neither confirmed their address nor signed in, false
-- once they have done either, for every member who reads the list (a CSM reassigning a task
-- too), as list_people's status says. The server takes work for an invitee (an active CSM,
-- manager or admin), so the pickers keep them, marked.
begin;
select plan(6);
set client_min_messages = warning;
select tests.create_organisation('Invite Org') as org \gset
select tests.create_member('tm_admin', :'org', 'admin') as admin \gset
select tests.create_member('tm_csm', :'org', 'csm') as csm \gset
select tests.create_member('tm_new', :'org', 'csm') as newcomer \gset
select tests.create_member('tm_back', :'org', 'csm') as returning \gset
update auth.users set email_confirmed_at = now() where id in (:'admin', :'csm');
update auth.users set last_sign_in_at = now() where id = :'returning';

select tests.authenticate_as('tm_csm');
select is((select p -> 'invited' from jsonb_array_elements(public.list_team_members()) p where p ->> 'id' = :'newcomer'),
  'true'::jsonb, 'a person invited who has not joined is marked invited');
select is((select p -> 'invited' from jsonb_array_elements(public.list_team_members()) p where p ->> 'id' = :'csm'),
  'false'::jsonb, 'one who confirmed their address is not');
select is((select p -> 'invited' from jsonb_array_elements(public.list_team_members()) p where p ->> 'id' = :'returning'),
  'false'::jsonb, 'nor one who signed in');

select tests.authenticate_as('tm_admin');
select is((select p ->> 'status' from jsonb_array_elements(public.list_people()) p where p ->> 'id' = :'newcomer'),
  'invited', 'list_people says the same of the invitee');
select is((select p ->> 'status' from jsonb_array_elements(public.list_people()) p where p ->> 'id' = :'returning'),
  'active', 'and of one who signed in');
-- Work may go to the invitee (app.can_take_work): the pickers mark them rather than leave them out.
select ok(app.can_take_work(:'org', :'newcomer'), 'the server takes work for an invitee');
select tests.clear_authentication();
select * from finish();
rollback;
