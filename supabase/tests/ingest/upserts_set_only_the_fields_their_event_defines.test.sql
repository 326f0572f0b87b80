-- An event sets only the fields its kind defines (app.ingest_apply_<kind> merges with
-- jsonb_populate_record over a whitelist): keys naming other columns (id, org_id,
-- customer_id, account_plan, source, timestamps, ...) are ignored, never written, for every
-- kind; a key with an unparseable value for such a column is no error either. And the
-- appliers themselves are the service role's only.
begin;
select plan(9);
select tests.create_rls_world();

create temp table before_a1 as select id, org_id, account_plan, created_at from app.customers where external_id = 'A-1';
grant select on before_a1 to service_role;

select tests.authenticate_as_service_role();
select is(public.ingest_apply_batch(tests.org_id('Org A'), 'f1', format($$[
  {"type": "customer.upserted", "data": {"external_id": "A-1", "industry": "Retail", "id": "not-a-uuid", "org_id": "%s",
    "account_plan": "expand", "renewal_stage": "Overdue", "created_at": "1999-01-01", "decision_date": "bogus"}},
  {"type": "stakeholder.upserted", "data": {"customer_external_id": "A-1", "external_id": "f-s", "name": "Pat",
    "id": "x", "org_id": "x", "customer_id": "x", "created_at": "x"}},
  {"type": "contract.upserted", "data": {"customer_external_id": "A-1", "external_id": "f-k", "start_date": "2026-01-01",
    "id": "x", "org_id": "x", "customer_id": "x", "updated_at": "x"}},
  {"type": "usage.snapshot", "data": {"customer_external_id": "A-1", "recorded_at": "2026-01-01T00:00:00Z", "active_users": 3,
    "id": "x", "source": "manual", "customer_id": "x"}},
  {"type": "engagement.event", "data": {"customer_external_id": "A-1", "event_type": "call", "occurred_at": "2026-01-02T00:00:00Z",
    "id": "x", "source": "manual", "org_id": "x"}},
  {"type": "arr.changed", "data": {"customer_external_id": "A-1", "arr": 150000, "recorded_at": "2026-01-03T00:00:00Z",
    "id": "x", "source": "manual", "org_id": "x"}}
]$$, tests.org_id('Org B'))::jsonb) -> 'applied',
  '{"customers": {"inserted": 0, "updated": 1}, "usage_snapshots": 1, "engagement_events": 1, "stakeholders": 1, "contracts": 1, "arr_changes": 1}'::jsonb,
  'a batch whose events carry foreign keys is applied');
select tests.clear_authentication();

select is((select (c.id, c.org_id, c.created_at, c.industry)::text from app.customers c where c.external_id = 'A-1'),
          (select (b.id, b.org_id, b.created_at, 'Retail')::text from before_a1 b),
  'the customer keeps its id, organisation and creation time; only the defined field changed');
select isnt((select account_plan from app.customers where external_id = 'A-1'), 'expand',
  'its account plan still follows the data, not the event');
select is((select (s.org_id, s.customer_id)::text from app.stakeholders s where s.external_id = 'f-s'),
          (select (c.org_id, c.id)::text from app.customers c where c.external_id = 'A-1'),
  'the stakeholder belongs to the organisation and the customer it names');
select is((select (k.org_id, k.customer_id)::text from app.contracts k where k.external_id = 'f-k'),
          (select (c.org_id, c.id)::text from app.customers c where c.external_id = 'A-1'),
  'so does the contract');
select is((select u.source from app.usage_snapshots u join app.customers c on c.id = u.customer_id
            where c.external_id = 'A-1' and u.recorded_at = '2026-01-01T00:00:00Z'), 'ingest', 'a usage snapshot''s source is ingest');
select is((select e.source from app.engagement_events e join app.customers c on c.id = e.customer_id
            where c.external_id = 'A-1' and e.occurred_at = '2026-01-02T00:00:00Z'), 'ingest', 'so is an engagement event''s');
select is((select h.source from app.arr_history h join app.customers c on c.id = h.customer_id
            where c.external_id = 'A-1' and h.recorded_at = '2026-01-03T00:00:00Z'), 'ingest', 'and an ARR change''s');

select is_empty($$
  select p.oid::regprocedure::text || ' by ' || r.role
    from pg_proc p cross join (values ('authenticated'), ('anon')) r(role)
   where p.pronamespace = 'app'::regnamespace and p.proname like 'ingest\_%'
     and has_function_privilege(r.role, p.oid, 'execute') $$,
  'no signed-in person and no anon may execute an ingest applier or check');

select * from finish();
rollback;
