-- An upsert never overwrites a field with an older value: a delivery retried late (its
-- events' `timestamp` before what is stored) applies only the fields nothing later has set;
-- a merged object (a customer's metadata, a contract's terms) is judged key by key; inside
-- one delivery the later event by time wins, not the last in the list; a time ahead of the
-- arrival counts as the arrival; a stakeholder's older customer stays the stored one; a
-- record deleted and sent again starts afresh (migration 20261211000000). Before, the last
-- delivery won.
begin;
select plan(15);
select tests.create_rls_world();
select tests.authenticate_as_service_role();

-- A newer change, then the older delivery retried late: name and ARR stay; the domain,
-- which nothing later set, is applied; metadata key by key.
select public.ingest_apply_batch(tests.org_id('Org A'), 'o-1', '[{"type": "customer.upserted", "timestamp": "2026-11-20T10:00:00Z",
  "data": {"external_id": "A-1", "name": "Acme Corp", "arr": 150000, "metadata": {"region": "EU"}}}]'::jsonb);
select is(public.ingest_apply_batch(tests.org_id('Org A'), 'o-2', '[{"type": "customer.upserted", "timestamp": "2026-11-20T09:00:00Z",
  "data": {"external_id": "A-1", "name": "Acme", "arr": 120000, "domain": "acme.example", "metadata": {"region": "US", "tier": "gold"}}}]'::jsonb)
  #> '{applied,customers}', '{"inserted": 0, "updated": 1}'::jsonb, 'the late delivery is applied where nothing later was');
select is((select (name, arr, domain)::text from app.customers where external_id = 'A-1'), '("Acme Corp",150000.00,acme.example)',
  'the newer name and ARR stay; the older delivery''s domain, set by nothing later, is applied');
select is((select metadata from app.customers where external_id = 'A-1'), '{"label": "a", "region": "EU", "tier": "gold"}'::jsonb,
  'metadata is judged key by key');
select is((select count(*)::int from app.arr_history h join app.customers c on c.id = h.customer_id
            where c.external_id = 'A-1' and h.arr = 120000 and h.reason = 'customer.upserted'), 0,
  'the older ARR adds no history row');

-- A later delivery still changes the fields (a real change after the stored one).
select public.ingest_apply_batch(tests.org_id('Org A'), 'o-3', '[{"type": "customer.upserted", "timestamp": "2026-11-20T11:00:00Z",
  "data": {"external_id": "A-1", "name": "Acme Group", "metadata": {"region": "APAC"}}}]'::jsonb);
select is((select (name, metadata ->> 'region')::text from app.customers where external_id = 'A-1'), '("Acme Group",APAC)',
  'a later change is applied');

-- Inside one delivery: the later by time, whatever the order in the list.
select public.ingest_apply_batch(tests.org_id('Org A'), 'o-4', '[
  {"type": "customer.upserted", "timestamp": "2026-11-21T10:00:00Z", "data": {"external_id": "A-1", "industry": "Retail"}},
  {"type": "customer.upserted", "timestamp": "2026-11-21T09:00:00Z", "data": {"external_id": "A-1", "industry": "Logistics"}}]'::jsonb);
select is((select industry from app.customers where external_id = 'A-1'), 'Retail', 'inside a delivery the later event by time wins');

-- Without a timestamp an event is as old as its arrival: it replaces what older times set,
-- and a delivery stamped before that arrival no longer does.
select public.ingest_apply_batch(tests.org_id('Org A'), 'o-5', '[{"type": "customer.upserted", "data": {"external_id": "A-1", "industry": "Media"}}]'::jsonb);
select is((select industry from app.customers where external_id = 'A-1'), 'Media', 'an event without a timestamp counts as its arrival');
select public.ingest_apply_batch(tests.org_id('Org A'), 'o-6', '[{"type": "customer.upserted", "timestamp": "2026-11-22T09:00:00Z",
  "data": {"external_id": "A-1", "industry": "Energy"}}]'::jsonb);
select is((select industry from app.customers where external_id = 'A-1'), 'Media', 'and one stamped before that arrival does not replace it');

-- A time ahead of the arrival counts as the arrival: it cannot freeze the field.
select public.ingest_apply_batch(tests.org_id('Org A'), 'o-7', '[{"type": "customer.upserted", "timestamp": "2099-01-01T00:00:00Z",
  "data": {"external_id": "A-1", "industry": "Future"}}]'::jsonb);
select public.ingest_apply_batch(tests.org_id('Org A'), 'o-8', '[{"type": "customer.upserted", "data": {"external_id": "A-1", "industry": "Present"}}]'::jsonb);
select is((select industry from app.customers where external_id = 'A-1'), 'Present', 'a source clock ahead of ours does not freeze a field');

-- A stakeholder: the newer title stays; an older customer_external_id is the stored one.
select public.ingest_apply_batch(tests.org_id('Org A'), 'o-9', '[
  {"type": "customer.upserted", "data": {"external_id": "A-2", "name": "Zed Co"}},
  {"type": "stakeholder.upserted", "timestamp": "2026-11-20T10:00:00Z",
   "data": {"external_id": "s-1", "customer_external_id": "A-2", "name": "Pat", "title": "VP Sales"}}]'::jsonb);
select public.ingest_apply_batch(tests.org_id('Org A'), 'o-10', '[{"type": "stakeholder.upserted", "timestamp": "2026-11-20T09:00:00Z",
   "data": {"external_id": "s-1", "customer_external_id": "A-1", "title": "Director", "email": "pat@zed.example"}}]'::jsonb);
select is((select (s.title, s.email, c.external_id)::text from app.stakeholders s join app.customers c on c.id = s.customer_id
            where s.external_id = 's-1'), '("VP Sales",pat@zed.example,A-2)',
  'a stakeholder keeps its newer title and customer and takes the older delivery''s new field');

-- A contract: status and terms key by key.
select public.ingest_apply_batch(tests.org_id('Org A'), 'o-11', '[{"type": "contract.upserted", "timestamp": "2026-11-20T10:00:00Z",
   "data": {"external_id": "k-1", "customer_external_id": "A-1", "start_date": "2026-01-01", "status": "renewed",
            "terms": {"payment_terms": "Net 60"}}}]'::jsonb);
select public.ingest_apply_batch(tests.org_id('Org A'), 'o-12', '[{"type": "contract.upserted", "timestamp": "2026-11-20T09:00:00Z",
   "data": {"external_id": "k-1", "customer_external_id": "A-1", "status": "active",
            "terms": {"payment_terms": "Net 30", "sla": "gold"}}}]'::jsonb);
select is((select (status, terms ->> 'payment_terms', terms ->> 'sla')::text from app.contracts where external_id = 'k-1'),
  '(renewed,"Net 60",gold)', 'a contract keeps its newer status and terms and takes the older delivery''s new term');

-- A record deleted and sent again starts afresh: its old times do not hold its new fields back.
select tests.clear_authentication();
delete from app.stakeholders where external_id = 's-1';
select tests.authenticate_as_service_role();
select public.ingest_apply_batch(tests.org_id('Org A'), 'o-13', '[{"type": "stakeholder.upserted", "timestamp": "2026-11-19T09:00:00Z",
   "data": {"external_id": "s-1", "customer_external_id": "A-1", "name": "Pat", "title": "Director"}}]'::jsonb);
select is((select (title, c.external_id)::text from app.stakeholders s join app.customers c on c.id = s.customer_id
            where s.external_id = 's-1'), '(Director,A-1)', 'a record sent again after its delete takes its new fields');

-- A sender that never stamps its events keeps no times: the last delivery wins, as before.
select public.ingest_apply_batch(tests.org_id('Org A'), 'o-14', '[{"type": "customer.upserted", "data": {"external_id": "A-9", "name": "Nine"}},
  {"type": "customer.upserted", "data": {"external_id": "A-9", "industry": "Retail"}}]'::jsonb);
select is((select count(*)::int from app.ingested_field_times where external_id = 'A-9'), 0, 'deliveries without timestamps store no times');

-- A replay of a delivery applies nothing twice, and the times are nobody else's to read.
select is(public.ingest_apply_batch(tests.org_id('Org A'), 'o-2', '[{"type": "customer.upserted", "timestamp": "2026-11-20T09:00:00Z",
  "data": {"external_id": "A-1", "name": "Acme", "arr": 120000, "domain": "acme.example", "metadata": {"region": "US", "tier": "gold"}}}]'::jsonb)
  ->> 'replayed', 'true', 'a replay is acknowledged as one');
select tests.authenticate_as('admin_a');
select throws_ok('select count(*) from app.ingested_field_times', '42501', null, 'no member reads the field times');
select tests.clear_authentication();

select * from finish();
rollback;
