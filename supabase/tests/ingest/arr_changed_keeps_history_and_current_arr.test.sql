-- arr.changed adds ARR history; the customer's ARR follows the newest row that has taken
-- effect (a backfill of an older value does not overwrite it); the same fact sent again
-- adds no second row.
begin;
select plan(4);
select tests.create_rls_world();
select tests.authenticate_as_service_role();

select public.ingest_apply_batch(tests.org_id('Org A'), 'a1', '[
  {"type": "arr.changed", "data": {"customer_external_id": "A-1", "arr": 150000, "recorded_at": "2026-02-01T00:00:00Z"}},
  {"type": "arr.changed", "data": {"customer_external_id": "A-1", "arr": 90000, "recorded_at": "2025-02-01T00:00:00Z"}}
]'::jsonb);
select tests.clear_authentication();
select is((select arr from app.customers where external_id = 'A-1'), 150000::numeric(14, 2), 'the newest value is the current ARR');
select is((select count(*)::int from app.arr_history h join app.customers c on c.id = h.customer_id where c.external_id = 'A-1'), 2, 'both are history');

select tests.authenticate_as_service_role();
select public.ingest_apply_batch(tests.org_id('Org A'), 'a2', '[
  {"type": "arr.changed", "data": {"customer_external_id": "A-1", "arr": 150000, "recorded_at": "2026-02-01T00:00:00Z"}}
]'::jsonb);
select tests.clear_authentication();
select is((select count(*)::int from app.arr_history h join app.customers c on c.id = h.customer_id where c.external_id = 'A-1'), 2,
  'the same fact in a new delivery adds nothing');
select is((select account_plan from app.customers where external_id = 'A-1'), 'invest', 'the account plan follows the new ARR');

select * from finish();
rollback;
