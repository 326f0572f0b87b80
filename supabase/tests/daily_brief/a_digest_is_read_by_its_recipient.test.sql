-- A brief's email digest is as private as the brief: its recipient, managers and admins
-- read it; a colleague and a viewer do not, neither in the outbox nor in Sent mail
-- (list_outbox_messages lists the mail people sent, never a digest). Other outgoing email
-- stays readable by every member. (Migration 20261206241000.)
begin;
select plan(10);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.email_outbox (org_id, requested_by, to_addresses, subject, body_text)
values (:'org', :'csm2', array['cfo@contoso.test'], 'Renewal terms', 'Hello');
select tests.authenticate_as_service_role();
select public.store_daily_briefs(profile_id => :'csm') is not null as stored \gset
select id as brief from app.daily_briefs where profile_id = :'csm' \gset
select public.write_daily_briefs(jsonb_build_array(jsonb_build_object('brief_id', :'brief', 'model', 'built-in offline model',
    'sentences', jsonb_build_array(jsonb_build_object('text', 'Start with Contoso: its notice is due.', 'facts', '[]'::jsonb))))) as written \gset
select email_outbox_id as digest from app.daily_briefs where id = :'brief' \gset
select is((select recipient_id from app.email_outbox where id = :'digest'), :'csm'::uuid, 'the digest names its recipient');

select tests.authenticate_as('e_csm2');
select is((select count(*)::int from app.email_outbox where id = :'digest'), 0, 'a colleague does not read another CSM''s digest');
select is((select count(*)::int from jsonb_array_elements(public.list_outbox_messages() -> 'items') i where i ->> 'body_text' like '%Contoso: its notice%'),
  0, 'nor finds it in Sent mail');
select is((select array_agg(i ->> 'subject') from jsonb_array_elements(public.list_outbox_messages() -> 'items') i),
  array['Renewal terms'], 'Sent mail lists the mail people sent');
select tests.authenticate_as('e_viewer');
select is((select count(*)::int from app.email_outbox where id = :'digest'), 0, 'a viewer does not read it');
select is((select count(*)::int from app.email_outbox where subject = 'Renewal terms'), 1, 'a viewer still reads the organisation''s sent mail');
select tests.authenticate_as('e_csm');
select is((select count(*)::int from app.email_outbox where id = :'digest'), 1, 'its recipient reads it');
select is((select count(*)::int from jsonb_array_elements(public.list_outbox_messages() -> 'items') i where i ->> 'id' = :'digest'),
  0, 'and it stays out of their Sent mail');
select tests.authenticate_as('e_manager');
select is((select count(*)::int from app.email_outbox where id = :'digest'), 1, 'a manager reads it, as the brief');
select tests.authenticate_as('o_manager');
select is((select count(*)::int from app.email_outbox where id = :'digest'), 0, 'another organisation does not');

select * from finish();
rollback;
