-- An ingested free-form object (a customer's or an engagement's metadata, a snapshot's
-- metrics, a contract's terms) is at most 16 KB of JSON, as sent and merged with the stored
-- one; a contract's known terms follow the rule of a confirmed term (app.contract_field_value).
-- Either is 22023 naming the event and field, and nothing of the delivery is written.
-- A usage snapshot of 0 licensed seats is a fact kept: it has no seat usage, never a
-- division by zero. (Migration 20261208702000.)
begin;
select plan(13);
select tests.create_rls_world();
select tests.org_id('Org A') as org \gset
select tests.authenticate_as_service_role();

-- Sizes: a customer's 2 MB metadata, an engagement's 17 KB metadata, 17 KB of metrics.
select throws_ok(format('select public.ingest_apply_batch(%L, %L, %L)', :'org', 'big-metadata', jsonb_build_array(
    jsonb_build_object('type', 'customer.upserted', 'data', jsonb_build_object('external_id', 'crm-big', 'name', 'Big Co')),
    jsonb_build_object('type', 'customer.upserted', 'data', jsonb_build_object('external_id', 'crm-big',
      'metadata', jsonb_build_object('notes', repeat('x', 2000000)))))),
  '22023', 'event 1: data.metadata is 1954 KB of JSON; at most 16 KB is kept', 'a customer''s 2 MB metadata is refused, naming the event');
select throws_ok(format('select public.ingest_apply_batch(%L, %L, %L)', :'org', 'big-engagement', jsonb_build_array(
    jsonb_build_object('type', 'engagement.event', 'data', jsonb_build_object('customer_external_id', 'A-1', 'event_type', 'note',
      'occurred_at', '2026-11-01T10:00:00Z', 'metadata', jsonb_build_object('log', repeat('x', 17000)))))),
  '22023', 'event 0: data.metadata is 17 KB of JSON; at most 16 KB is kept', 'so is an engagement''s');
select throws_ok(format('select public.ingest_apply_batch(%L, %L, %L)', :'org', 'big-metrics', jsonb_build_array(
    jsonb_build_object('type', 'usage.snapshot', 'data', jsonb_build_object('customer_external_id', 'A-1',
      'recorded_at', '2026-11-01T10:00:00Z', 'active_users', 5, 'metrics', jsonb_build_object('raw', repeat('x', 17000)))))),
  '22023', 'event 0: data.metrics is 17 KB of JSON; at most 16 KB is kept', 'and a snapshot''s metrics');
-- Merged: 10 KB stored and 10 KB more is over.
update app.customers set metadata = jsonb_build_object('a', repeat('x', 10000)) where external_id = 'A-1';
select throws_ok(format('select public.ingest_apply_batch(%L, %L, %L)', :'org', 'merged-metadata', jsonb_build_array(
    jsonb_build_object('type', 'customer.upserted', 'data', jsonb_build_object('external_id', 'A-1',
      'metadata', jsonb_build_object('b', repeat('y', 10000)))))),
  '22023', 'event 0: data.metadata merged with the stored one would be 20 KB of JSON; at most 16 KB is kept',
  'a customer''s metadata the merge would make too large is refused');
select lives_ok(format('select public.ingest_apply_batch(%L, %L, %L)', :'org', 'metadata-ok', jsonb_build_array(
    jsonb_build_object('type', 'customer.upserted', 'data', jsonb_build_object('external_id', 'A-1',
      'metadata', jsonb_build_object('a', 'short', 'b', repeat('y', 5000)))))),
  'metadata that fits once merged is applied');

-- A contract's known terms: the rule of a confirmed term.
select throws_ok(format('select public.ingest_apply_batch(%L, %L, %L)', :'org', 'terms-lots', jsonb_build_array(
    jsonb_build_object('type', 'contract.upserted', 'data', jsonb_build_object('external_id', 'k-1', 'customer_external_id', 'A-1',
      'start_date', '2026-01-01', 'terms', jsonb_build_object('billing', 'annual', 'price_increase_cap_pct', 'lots'))))),
  '22023', 'event 0: data.terms.price_increase_cap_pct is refused: The value of price_increase_cap_pct must be a number, not text or another kind of value',
  'a price increase cap of "lots" is refused, in the words of the contract review');
select throws_ok(format('select public.ingest_apply_batch(%L, %L, %L)', :'org', 'terms-cap', jsonb_build_array(
    jsonb_build_object('type', 'contract.upserted', 'data', jsonb_build_object('external_id', 'k-1', 'customer_external_id', 'A-1',
      'start_date', '2026-01-01', 'terms', jsonb_build_object('price_increase_cap_pct', 250))))),
  '22023', 'event 0: data.terms.price_increase_cap_pct is refused: The price increase cap is a percentage from 0 to 100', 'so is a cap of 250 %');
select throws_ok(format('select public.ingest_apply_batch(%L, %L, %L)', :'org', 'terms-months', jsonb_build_array(
    jsonb_build_object('type', 'contract.upserted', 'data', jsonb_build_object('external_id', 'k-1', 'customer_external_id', 'A-1',
      'start_date', '2026-01-01', 'terms', jsonb_build_object('term_months', '12'))))),
  '22023', 'event 0: data.terms.term_months is refused: The value of term_months must be a number, not text or another kind of value',
  'and a term of "12" months');
select tests.clear_authentication();
select is((select count(*)::int from app.contracts where external_id = 'k-1')
        + (select count(*)::int from app.customers where external_id = 'crm-big')
        + (select count(*)::int from app.engagement_events e join app.customers c on c.id = e.customer_id where c.external_id = 'A-1')
        + (select count(*)::int from app.usage_snapshots where org_id = :'org'), 0, 'nothing of a refused delivery was written');
select is((select metadata ->> 'a' from app.customers where external_id = 'A-1'), 'short', 'the metadata that fits was merged');

select tests.authenticate_as_service_role();
select lives_ok(format('select public.ingest_apply_batch(%L, %L, %L)', :'org', 'terms-ok', jsonb_build_array(
    jsonb_build_object('type', 'contract.upserted', 'data', jsonb_build_object('external_id', 'k-1', 'customer_external_id', 'A-1',
      'start_date', '2026-01-01', 'terms', jsonb_build_object('billing', 'annual', 'licensed_seats', 'fifty', 'price_increase_cap_pct', 5.5,
        'term_months', 12, 'payment_terms', 'Net 30', 'termination_for_convenience', false))),
    -- 0 licensed seats: a fact kept (a lapsed or a usage-priced plan), with no seat usage
    jsonb_build_object('type', 'usage.snapshot', 'data', jsonb_build_object('customer_external_id', 'A-1',
      'recorded_at', '2026-11-01T10:00:00Z', 'active_users', 5, 'licensed_seats', 0)))),
  'known terms by the rule and free-form other keys are applied, and so is a snapshot of 0 seats');
select tests.clear_authentication();
select is((select terms from app.contracts where external_id = 'k-1'),
  '{"billing": "annual", "term_months": 12, "payment_terms": "Net 30", "licensed_seats": "fifty", "price_increase_cap_pct": 5.5, "termination_for_convenience": false}'::jsonb,
  'the terms are stored');
select tests.authenticate_as('csm_a');
select is((select public.get_customer_context(c.id) -> 'data' -> 'usage' ->> 'utilisation' from app.customers c where c.external_id = 'A-1'), null,
  'a snapshot of 0 seats has no seat usage');

select * from finish();
rollback;
