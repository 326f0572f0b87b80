-- Members read their organisation's outgoing mail, newest first, with status and error;
-- another organisation's mail is invisible; anon is refused.
begin;
select plan(8);
set client_min_messages = warning;
select tests.create_organisation('Mail Org') as org \gset
select tests.create_member('m_csm', :'org', 'csm', 'senior') as csm \gset
select tests.create_member('m_viewer', :'org', 'viewer') as viewer \gset
select tests.create_organisation('Other Org') as other_org \gset
select tests.create_member('m_other', :'other_org', 'csm') as other_csm \gset
insert into app.email_outbox (org_id, requested_by, to_addresses, subject, body_text, status, sent_at, created_at)
values (:'org', :'csm', array['old@contoso.test'], 'Older', 'Hello', 'delivered_to_sink', now(), now() - interval '2 hours'),
       (:'org', :'csm', array['new@contoso.test'], 'Newer', 'Hi again', 'failed', null, now() - interval '1 hour');
update app.email_outbox set last_error = 'SMTP 550 mailbox unavailable' where subject = 'Newer';
insert into app.email_outbox (org_id, requested_by, to_addresses, subject, body_text)
values (:'other_org', :'other_csm', array['x@other.test'], 'Theirs', 'Secret');

select tests.authenticate_as('m_csm');
select is((select array_agg(i ->> 'subject' order by ord) from jsonb_array_elements(public.list_outbox_messages() -> 'items') with ordinality t(i, ord)),
          array['Newer', 'Older'], 'newest first, only the caller''s organisation');
select is((select i ->> 'last_error' from jsonb_array_elements(public.list_outbox_messages() -> 'items') i where i ->> 'subject' = 'Newer'),
          'SMTP 550 mailbox unavailable', 'a failed message carries its error');
select is((select i -> 'to' from jsonb_array_elements(public.list_outbox_messages() -> 'items') i where i ->> 'subject' = 'Older'),
          '["old@contoso.test"]'::jsonb, 'recipients as a list');
select is((select i -> 'requested_by' ->> 'id' from jsonb_array_elements(public.list_outbox_messages() -> 'items') i where i ->> 'subject' = 'Older'),
          :'csm', 'who sent it');

select tests.authenticate_as('m_viewer');
select is(jsonb_array_length(public.list_outbox_messages() -> 'items'), 2, 'a viewer reads the outbox too');

select tests.authenticate_as('m_other');
select is((select array_agg(i ->> 'subject') from jsonb_array_elements(public.list_outbox_messages() -> 'items') i),
          array['Theirs'], 'the other organisation sees only its own mail');

select tests.clear_authentication();
select ok(not has_function_privilege('anon', 'public.list_outbox_messages(integer, text)', 'execute'), 'anon may not execute it');
select tests.authenticate_as_anon();
select throws_ok('select public.list_outbox_messages()', '42501', null, 'anon is refused');

select * from finish();
rollback;
