-- Keyset pages: every message once, in order, across pages; bad arguments are 22023.
begin;
select plan(6);
set client_min_messages = warning;
select tests.create_organisation('Mail Org') as org \gset
select tests.create_member('p_csm', :'org', 'csm') as csm \gset
-- Five messages, two sharing a timestamp so the id breaks the tie.
insert into app.email_outbox (org_id, to_addresses, subject, body_text, created_at)
select :'org', array['a@b.test'], 'Message ' || g, 'Body', timestamptz '2026-01-01' + make_interval(mins => least(g, 4))
  from generate_series(1, 5) g;

select tests.authenticate_as('p_csm');
select public.list_outbox_messages(2) as p1 \gset
select public.list_outbox_messages(2, (:'p1'::jsonb ->> 'next_cursor')) as p2 \gset
select public.list_outbox_messages(2, (:'p2'::jsonb ->> 'next_cursor')) as p3 \gset
select is(jsonb_array_length(:'p1'::jsonb -> 'items'), 2, 'a page holds page_size messages');
select is((select count(distinct i ->> 'id') from (
            select jsonb_array_elements(:'p1'::jsonb -> 'items') i union all
            select jsonb_array_elements(:'p2'::jsonb -> 'items') union all
            select jsonb_array_elements(:'p3'::jsonb -> 'items')) s), 5::bigint, 'all five, none twice');
select is(:'p3'::jsonb -> 'next_cursor', 'null'::jsonb, 'the last page has no next cursor');
select is((select array_agg(i ->> 'subject') from (
            select jsonb_array_elements(:'p1'::jsonb -> 'items') i union all
            select jsonb_array_elements(:'p2'::jsonb -> 'items')) s) @> array['Message 5', 'Message 4'], true, 'newest first');
select throws_ok('select public.list_outbox_messages(0)', '22023', 'page_size must be between 1 and 200', 'page_size is checked');
select throws_ok($$select public.list_outbox_messages(10, 'not-a-cursor')$$, '22023', 'cursor is not valid', 'a bad cursor is refused');

select * from finish();
rollback;
