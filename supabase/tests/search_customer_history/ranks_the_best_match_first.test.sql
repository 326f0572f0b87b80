-- search_customer_history takes web-search syntax, returns the best passage first (a title
-- match outranks a passing mention), with a highlighted snippet, the source kind, id and
-- date; it respects max_results and refuses bad input.
begin;
select plan(8);
select tests.create_rls_world();

insert into app.engagement_events (org_id, customer_id, event_type, occurred_at, title, description)
select tests.org_id('Org A'), tests.row_id('customers', 'a'), t.kind, now() - make_interval(days => t.ago), t.title, t.body
  from (values
    ('meeting', 30, 'Security review', 'Walked through SSO and audit logs; security team satisfied.'),
    ('call', 5, 'Weekly sync', 'Brief mention of security questionnaire.'),
    ('note', 1, 'Lunch', 'Talked about the offsite.')
  ) t(kind, ago, title, body);

select tests.authenticate_as('csm_a');
create temp table r as select public.search_customer_history(tests.row_id('customers', 'a'), 'security') as res;

select is(jsonb_array_length((select res from r)), 2, 'two passages mention security');
select is((select res -> 0 ->> 'title' from r), 'Security review', 'the title match ranks first');
select ok((select (res -> 0 ->> 'rank')::numeric > (res -> 1 ->> 'rank')::numeric from r), 'ranks are descending');
select ok((select res -> 0 ->> 'snippet' like '%**%' from r), 'the snippet highlights the match');
select is((select res -> 0 ->> 'source_kind' from r), 'engagement', 'the source kind is named');
select is(jsonb_array_length(public.search_customer_history(tests.row_id('customers', 'a'), 'security -questionnaire')), 1,
  'web-search syntax: a minus excludes');
select is(jsonb_array_length(public.search_customer_history(tests.row_id('customers', 'a'), 'security', 1)), 1, 'max_results caps');
select throws_ok($$ select public.search_customer_history(tests.row_id('customers', 'a'), '  ') $$, '22023', null, 'an empty query is bad input');

select * from finish();
rollback;
