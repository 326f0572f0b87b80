-- Another organisation's customer history is invisible: searching it is PT404 (not there
-- and not yours answer alike), and the passages table shows none of its rows.
begin;
select plan(5);
select tests.create_rls_world();

insert into app.engagement_events (org_id, customer_id, event_type, occurred_at, title, description)
values (tests.org_id('Org B'), tests.row_id('customers', 'b'), 'note', now(), 'Bolt secret', 'Bolt discount plans'),
       (tests.org_id('Org A'), tests.row_id('customers', 'a'), 'note', now(), 'Acme discount', 'Acme discount plans');

select tests.authenticate_as('csm_a');
select throws_ok($$ select public.search_customer_history(tests.row_id('customers', 'b'), 'discount') $$,
  'PT404', 'Customer not found', 'org A cannot search org B''s customer');
select is_empty($$ select 1 from app.customer_history_passages h where h.title = 'Bolt secret' $$,
  'nor read its passages');
select is(jsonb_array_length(public.search_customer_history(tests.row_id('customers', 'a'), 'discount')), 1,
  'its own customer finds only its own passage');

select tests.authenticate_as('viewer_a');
select is(jsonb_array_length(public.search_customer_history(tests.row_id('customers', 'a'), 'discount')), 1,
  'a viewer of the organisation may search too');

select tests.authenticate_as_anon();
select throws_ok($$ select public.search_customer_history(gen_random_uuid(), 'discount') $$, '42501', null, 'anon may not');

select * from finish();
rollback;
