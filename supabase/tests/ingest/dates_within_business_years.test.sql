-- Every date and time an ingest event carries is within the years 2000 to 2099, as a
-- person's are: an ARR change recorded in 9999 (which made the kept retention figures run
-- to the year 10000), a renewal date in year 1, a contract ending 'infinity' or an event
-- stamped 1999 is refused with 22023 naming the event and the field, and nothing of the
-- delivery is written.
begin;
select plan(10);
select tests.create_rls_world();
select tests.authenticate_as_service_role();

select throws_ok($$ select public.ingest_apply_batch(tests.org_id('Org A'), 'late-arr', '[
  {"type": "customer.upserted", "data": {"external_id": "crm-9", "name": "Hooli"}},
  {"type": "arr.changed", "data": {"customer_external_id": "A-1", "arr": 7000, "recorded_at": "9999-12-31T00:00:00Z"}}
]'::jsonb) $$, '22023', 'event 1: data.recorded_at must be a date and time in the years 2000 to 2099',
  'an ARR change recorded in 9999 is refused, naming the event and field');
select throws_ok($$ select public.ingest_apply_batch(tests.org_id('Org A'), 'old-renewal', '[
  {"type": "customer.upserted", "data": {"external_id": "crm-9", "name": "Hooli", "renewal_date": "0001-01-01"}}
]'::jsonb) $$, '22023', 'event 0: data.renewal_date must be a date in the years 2000 to 2099', 'a renewal date in year 1');
select throws_ok($$ select public.ingest_apply_batch(tests.org_id('Org A'), 'endless-contract', '[
  {"type": "contract.upserted", "data": {"customer_external_id": "A-1", "external_id": "k-9", "start_date": "2026-01-01", "end_date": "infinity"}}
]'::jsonb) $$, '22023', 'event 0: data.end_date must be a date in the years 2000 to 2099', 'a contract that never ends');
select throws_ok($$ select public.ingest_apply_batch(tests.org_id('Org A'), 'old-stamp', '[
  {"type": "usage.snapshot", "timestamp": "1999-12-31T23:00:00Z", "data": {"customer_external_id": "A-1", "recorded_at": "2026-01-05T00:00:00Z", "active_users": 1}}
]'::jsonb) $$, '22023', 'event 0: timestamp must be a date and time in the years 2000 to 2099', 'an event stamped 1999');
select throws_ok($$ select public.ingest_apply_batch(tests.org_id('Org A'), 'future-touch', '[
  {"type": "stakeholder.upserted", "data": {"customer_external_id": "A-1", "external_id": "sh-9", "name": "Bea", "last_contacted_at": "2100-01-01T00:00:00Z"}}
]'::jsonb) $$, '22023', 'event 0: data.last_contacted_at must be a date and time in the years 2000 to 2099', 'a contact in 2100');
select throws_ok($$ select public.ingest_apply_batch(tests.org_id('Org A'), 'far-renewal', '[
  {"type": "customer.upserted", "data": {"external_id": "crm-9", "name": "Hooli", "renewal_date": "300000-01-01"}}
]'::jsonb) $$, '22023', 'event 0: data.renewal_date must be a date in the years 2000 to 2099',
  'a renewal date past what a time can hold is read as the date it would store');
select throws_ok($$ select public.ingest_apply_batch(tests.org_id('Org A'), 'ancient-call', '[
  {"type": "engagement.event", "data": {"customer_external_id": "A-1", "event_type": "call", "occurred_at": "0001-01-01T00:00:00Z"}}
]'::jsonb) $$, '22023', 'event 0: data.occurred_at must be a date and time in the years 2000 to 2099', 'a call in year 1');

select tests.clear_authentication();
select is((select count(*)::int from app.customers where external_id = 'crm-9'), 0, 'nothing of a refused delivery is written');
select is((select count(*)::int from app.processed_webhooks where webhook_id in ('late-arr', 'old-renewal', 'endless-contract', 'old-stamp')), 0,
  'not even the claim of its webhook id');

select tests.authenticate_as_service_role();
select is(public.ingest_apply_batch(tests.org_id('Org A'), 'edges', '[
  {"type": "customer.upserted", "timestamp": "2000-01-01T00:00:00Z", "data": {"external_id": "crm-10", "name": "Edge Co", "renewal_date": "2099-12-31"}},
  {"type": "arr.changed", "data": {"customer_external_id": "crm-10", "arr": 5000, "recorded_at": "2000-01-01T00:00:00Z"}}
]'::jsonb) -> 'applied' -> 'customers' ->> 'inserted', '1', 'the first and last days of the range are accepted');

select * from finish();
rollback;
