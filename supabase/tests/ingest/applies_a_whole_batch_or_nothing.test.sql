-- ingest_apply_batch applies every kind of event of a delivery in one transaction; when
-- one event is refused (here a usage snapshot for an unknown customer, after a valid
-- customer.upserted) the call fails with 22023 naming the event, and nothing is written.
begin;
select plan(10);
select tests.create_rls_world();
select tests.authenticate_as_service_role();

select is(public.ingest_apply_batch(tests.org_id('Org A'), 'delivery-1', $$[
  {"type": "customer.upserted", "data": {"external_id": "crm-1", "name": "Initech", "arr": 80000, "health_score": 72, "csm_email": "csm_a@test.renubu.dev"}},
  {"type": "usage.snapshot", "data": {"customer_external_id": "crm-1", "recorded_at": "2026-01-05T00:00:00Z", "active_users": 40, "licensed_seats": 50}},
  {"type": "engagement.event", "data": {"customer_external_id": "crm-1", "event_type": "call", "occurred_at": "2026-01-06T10:00:00Z"}},
  {"type": "stakeholder.upserted", "data": {"customer_external_id": "crm-1", "external_id": "sh-1", "name": "Bill", "is_champion": true}},
  {"type": "contract.upserted", "data": {"customer_external_id": "crm-1", "external_id": "k-1", "start_date": "2026-01-01", "end_date": "2026-12-31"}},
  {"type": "arr.changed", "data": {"customer_external_id": "A-1", "arr": 125000, "recorded_at": "2026-01-02T00:00:00Z"}}
]$$::jsonb) -> 'applied',
  '{"customers": {"inserted": 1, "updated": 0}, "usage_snapshots": 1, "engagement_events": 1, "stakeholders": 1, "contracts": 1, "arr_changes": 1}'::jsonb,
  'the answer counts what was applied');

select tests.clear_authentication();
select is((select assigned_to from app.customers where external_id = 'crm-1'), tests.get_supabase_uid('csm_a'), 'the customer, its CSM found by email');
select is((select account_plan from app.customers where external_id = 'crm-1'), 'invest', 'derived fields follow (80 000 ARR, health 72)');
select is((select count(*)::int from app.arr_history h join app.customers c on c.id = h.customer_id where c.external_id = 'crm-1'), 1,
  'its ARR is history too');
select is((select arr from app.customers where external_id = 'A-1'), 125000::numeric(14, 2), 'arr.changed moved the current ARR');

select tests.authenticate_as_service_role();
select throws_ok($$ select public.ingest_apply_batch(tests.org_id('Org A'), 'delivery-2', '[
  {"type": "customer.upserted", "data": {"external_id": "crm-2", "name": "Hooli"}},
  {"type": "usage.snapshot", "data": {"customer_external_id": "nobody", "recorded_at": "2026-01-05T00:00:00Z", "active_users": 1}}
]'::jsonb) $$, '22023', 'event 1: no customer with external id "nobody"', 'a refused event names its position');
select tests.clear_authentication();
select is((select count(*)::int from app.customers where external_id = 'crm-2'), 0, 'nothing of the refused delivery is written');
select is((select count(*)::int from app.processed_webhooks where webhook_id = 'delivery-2'), 0, 'not even its webhook id');

select tests.authenticate_as_service_role();
select throws_ok($$ select public.ingest_apply_batch(tests.org_id('Org A'), 'delivery-3', '[
  {"type": "customer.upserted", "data": {"external_id": "crm-3", "csm_email": "csm_b@test.renubu.dev", "name": "X"}}
]'::jsonb) $$, '22023', 'event 0: csm_email "csm_b@test.renubu.dev" is not a person of this organisation',
  'a person of another organisation cannot be named');
select throws_ok($$ select public.ingest_apply_batch(tests.org_id('Org A'), 'delivery-4', '[
  {"type": "customer.upserted", "data": {"external_id": "crm-4", "arr": 5}}
]'::jsonb) $$, '22023', 'event 0: customer "crm-4" does not exist yet and has no name', 'a new customer needs a name');

select * from finish();
rollback;
