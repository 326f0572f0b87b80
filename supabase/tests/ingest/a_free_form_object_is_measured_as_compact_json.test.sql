-- An ingested free-form object's 16 KB is counted as the JSON a sender writes (compact, as
-- JSON.stringify writes it), not as PostgreSQL prints a jsonb (a space after every ':' and
-- ','): an object of exactly 16384 bytes as sent is applied, one byte more is refused, and
-- a multi-byte character counts its UTF-8 bytes. (Migration 20261208910000.)
begin;
select plan(5);
select tests.create_rls_world();
select tests.org_id('Org A') as org \gset
select tests.authenticate_as_service_role();

-- {"a":"xxx…"} is 8 bytes of JSON around the text: 16376 x's make 16384 bytes.
select lives_ok(format('select public.ingest_apply_batch(%L, %L, %L)', :'org', 'exactly-16kb', jsonb_build_array(
    jsonb_build_object('type', 'engagement.event', 'data', jsonb_build_object('customer_external_id', 'A-1', 'event_type', 'note',
      'occurred_at', '2026-11-01T10:00:00Z', 'metadata', jsonb_build_object('a', repeat('x', 16376)))))),
  'an engagement''s metadata of exactly 16 KB as sent is applied');
select throws_ok(format('select public.ingest_apply_batch(%L, %L, %L)', :'org', 'one-byte-over', jsonb_build_array(
    jsonb_build_object('type', 'engagement.event', 'data', jsonb_build_object('customer_external_id', 'A-1', 'event_type', 'note',
      'occurred_at', '2026-11-01T10:00:00Z', 'metadata', jsonb_build_object('a', repeat('x', 16377)))))),
  '22023', 'event 0: data.metadata is 17 KB of JSON; at most 16 KB is kept', 'one byte more is refused');
-- Many small fields: 900 of "kNNNN":"vvvvvvv" are 16201 bytes as sent, ~2 KB more as PostgreSQL prints it.
select lives_ok(format('select public.ingest_apply_batch(%L, %L, %L)', :'org', 'many-fields', jsonb_build_array(
    jsonb_build_object('type', 'usage.snapshot', 'data', jsonb_build_object('customer_external_id', 'A-1',
      'recorded_at', '2026-11-01T10:00:00Z', 'active_users', 5, 'metrics',
      (select jsonb_object_agg(format('k%s', 1000 + i), 'vvvvvvv') from generate_series(0, 899) i))))),
  'metrics of 900 small fields within 16 KB as sent are applied');
-- 'é' is two bytes: 8193 of them (16386 bytes of text) are over.
select throws_ok(format('select public.ingest_apply_batch(%L, %L, %L)', :'org', 'multi-byte', jsonb_build_array(
    jsonb_build_object('type', 'engagement.event', 'data', jsonb_build_object('customer_external_id', 'A-1', 'event_type', 'note',
      'occurred_at', '2026-11-01T10:00:00Z', 'metadata', jsonb_build_object('a', repeat('é', 8189)))))),
  '22023', 'event 0: data.metadata is 17 KB of JSON; at most 16 KB is kept', 'a multi-byte character counts its bytes');
-- Merged: the stored object and the sent one, as one compact object.
update app.customers set metadata = jsonb_build_object('a', repeat('x', 8186)) where external_id = 'A-1';
select lives_ok(format('select public.ingest_apply_batch(%L, %L, %L)', :'org', 'merged-16kb', jsonb_build_array(
    jsonb_build_object('type', 'customer.upserted', 'data', jsonb_build_object('external_id', 'A-1',
      'metadata', jsonb_build_object('b', repeat('y', 8183)))))),
  'a customer''s metadata of exactly 16 KB once merged is applied');

select * from finish();
rollback;
