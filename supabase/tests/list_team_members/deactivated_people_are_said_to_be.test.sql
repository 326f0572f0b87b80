-- list_team_members says who is deactivated (`deactivated`), for every member who reads the
-- list: the pickers of a person to hand work to leave them out, as the server refuses them
-- work (app.require_person_who_can_take_work), while the filters by person keep them, whose
-- customers and renewals are still theirs until handed over.
begin;
select plan(3);
set client_min_messages = warning;
select tests.create_organisation('Leaver Org') as org \gset
select tests.create_member('tl_csm', :'org', 'csm') as csm \gset
select tests.create_member('tl_leaver', :'org', 'csm') as leaver \gset
update app.profiles set deactivated_at = now() where id = :'leaver';

select tests.authenticate_as('tl_csm');
select is((select p -> 'deactivated' from jsonb_array_elements(public.list_team_members()) p where p ->> 'id' = :'leaver'),
  'true'::jsonb, 'a deactivated person is said to be');
select is((select p -> 'deactivated' from jsonb_array_elements(public.list_team_members()) p where p ->> 'id' = :'csm'),
  'false'::jsonb, 'a colleague at work is not');
select throws_ok(format('select app.require_person_who_can_take_work(%L, %L, %L)', :'org', :'leaver', 'assignee_id'),
  '22023', 'assignee_id has been deactivated and cannot take work', 'and the server refuses them work, which is why the pickers leave them out');
select * from finish();
rollback;
