-- A history passage carries its source's subtype (a note, a call, a support ticket…), so the
-- history search and the chat's citations name it as the timeline does ("Support ticket"), not
-- "Activity" for every engagement: search_customer_history's results and the passages a chat's
-- prompt takes (app.chat_history_for_prompt, which its citations are made from) both carry
-- source_subtype; sources with no subtype (an email sent) carry null.
begin;
select plan(4);
select tests.create_rls_world();

insert into app.engagement_events (org_id, customer_id, event_type, occurred_at, title, description)
values (tests.org_id('Org A'), tests.row_id('customers', 'a'), 'support_ticket', now() - interval '2 days',
        'Ticket ACME-1040: API rate limit', 'Rate limits hit during the nightly export.'),
       (tests.org_id('Org A'), tests.row_id('customers', 'a'), 'call', now() - interval '1 day',
        'Weekly sync', 'Talked about the rate limit ticket.');

select tests.authenticate_as('csm_a');
create temp table r as select public.search_customer_history(tests.row_id('customers', 'a'), 'rate limit') as res;
select is((select array_agg(x ->> 'source_subtype' order by x ->> 'title') from jsonb_array_elements((select res from r)) x),
  array['support_ticket', 'call'], 'each search result names its engagement''s subtype');
select is((select x ->> 'source_kind' from jsonb_array_elements((select res from r)) x where x ->> 'source_subtype' = 'support_ticket'),
  'engagement', 'beside its kind');

create temp table p as select app.chat_history_for_prompt(tests.org_id('Org A'), tests.row_id('customers', 'a'), 'rate limit ticket', true) as res;
select is((select x ->> 'source_subtype' from jsonb_array_elements((select res from p)) x where x ->> 'title' like 'Ticket%' limit 1),
  'support_ticket', 'a chat''s passages carry it too (its citations are made from them)');
select ok((select bool_and(x ? 'source_subtype') from jsonb_array_elements((select res from p)) x),
  'every passage has the field');

select * from finish();
rollback;
