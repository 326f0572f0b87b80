-- Upserts by external id are partial: an absent key keeps the stored value, null clears it,
-- metadata is merged; several upserts of one customer in a batch merge key by key, the
-- later event winning. An unchanged customer is not rewritten.
begin;
select plan(6);
select tests.create_rls_world();
select tests.authenticate_as_service_role();

select public.ingest_apply_batch(tests.org_id('Org A'), 'm1', '[
  {"type": "customer.upserted", "data": {"external_id": "A-1", "domain": "acme.example", "metadata": {"tier": "gold"}}},
  {"type": "customer.upserted", "data": {"external_id": "A-1", "industry": "Retail", "health_score": 77}},
  {"type": "customer.upserted", "data": {"external_id": "A-1", "health_score": 81}}
]'::jsonb);
select tests.clear_authentication();
select is((select name from app.customers where external_id = 'A-1'), 'Acme', 'an absent key keeps the stored value');
select is((select (domain, industry, health_score)::text from app.customers where external_id = 'A-1'), '(acme.example,Retail,81)',
  'the events of the batch merge, the later one winning');
select is((select metadata from app.customers where external_id = 'A-1'), '{"label": "a", "tier": "gold"}'::jsonb, 'metadata is merged');

select tests.authenticate_as_service_role();
select public.ingest_apply_batch(tests.org_id('Org A'), 'm2', '[{"type": "customer.upserted", "data": {"external_id": "A-1", "domain": null}}]'::jsonb);
select tests.clear_authentication();
select is((select domain from app.customers where external_id = 'A-1'), null, 'null clears a field');

select tests.authenticate_as_service_role();
select is(public.ingest_apply_batch(tests.org_id('Org A'), 'm3', '[{"type": "customer.upserted", "data": {"external_id": "A-1", "name": "Acme"}}]'::jsonb)
  #> '{applied,customers}', '{"inserted": 0, "updated": 0}'::jsonb, 'an upsert that changes nothing rewrites nothing');

select public.ingest_apply_batch(tests.org_id('Org A'), 'm4', '[
  {"type": "stakeholder.upserted", "data": {"customer_external_id": "A-1", "external_id": "s-9", "name": "Pat", "is_champion": true, "influence": "high"}}
]'::jsonb);
select public.ingest_apply_batch(tests.org_id('Org A'), 'm5', '[
  {"type": "stakeholder.upserted", "data": {"customer_external_id": "A-1", "external_id": "s-9", "title": "CTO"}}
]'::jsonb);
select tests.clear_authentication();
select is((select (name, title, is_champion, influence)::text from app.stakeholders where external_id = 's-9'), '(Pat,CTO,t,high)',
  'a stakeholder update keeps the flags it does not mention');

select * from finish();
rollback;
