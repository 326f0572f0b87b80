-- An ingest event's optional text of whitespace or invisible characters is applied as none
-- (null, which clears a stored value), and other optional text without the whitespace around
-- it; a replay of the same body is still the same delivery. (Migration 20261206244200.)
begin;
select plan(7);
select tests.create_rls_world();
select tests.authenticate_as_service_role();

select public.ingest_apply_batch(tests.org_id('Org A'), 'blank-opt-1', jsonb_build_array(
  jsonb_build_object('type', 'customer.upserted', 'data', jsonb_build_object(
    'external_id', 'crm-opt', 'name', 'Initech', 'domain', E' \u200b ', 'industry', E'\tRetail\n')),
  jsonb_build_object('type', 'engagement.event', 'data', jsonb_build_object(
    'customer_external_id', 'crm-opt', 'external_id', 'ev-opt', 'event_type', 'call', 'occurred_at', '2026-01-06T10:00:00Z',
    'title', E'\u2800', 'description', E'\r\n')),
  jsonb_build_object('type', 'stakeholder.upserted', 'data', jsonb_build_object(
    'customer_external_id', 'crm-opt', 'external_id', 'sh-opt', 'name', 'Bill', 'title', E' CFO\u00a0', 'role', E'\u3000', 'notes', E'\t')),
  jsonb_build_object('type', 'contract.upserted', 'data', jsonb_build_object(
    'customer_external_id', 'crm-opt', 'external_id', 'k-opt', 'start_date', '2026-01-01', 'end_date', '2026-12-31', 'contract_number', '   ')),
  jsonb_build_object('type', 'arr.changed', 'data', jsonb_build_object(
    'customer_external_id', 'crm-opt', 'arr', 90000, 'recorded_at', '2026-01-02T00:00:00Z', 'reason', E'\u200e'))
)) is not null as applied \gset

select tests.clear_authentication();
select is((select row(domain, industry)::text from app.customers where external_id = 'crm-opt'), '(,Retail)',
  'a customer''s blank domain is none and its industry is trimmed');
select is((select row(e.title, e.description)::text from app.engagement_events e join app.customers c on c.id = e.customer_id
            where c.external_id = 'crm-opt'), '(,)', 'an engagement''s blank title and description are none');
select is((select row(s.title, s.role, s.notes)::text from app.stakeholders s where s.external_id = 'sh-opt'), '(CFO,,)',
  'a stakeholder''s title is trimmed, a blank role and notes are none');
select is((select contract_number from app.contracts where external_id = 'k-opt'), null, 'a blank contract number is none');
select is((select h.reason from app.arr_history h join app.customers c on c.id = h.customer_id
            where c.external_id = 'crm-opt' and h.arr = 90000), null, 'a blank ARR change reason is none');

-- A blank optional text clears the stored one, as null does.
select tests.authenticate_as_service_role();
select public.ingest_apply_batch(tests.org_id('Org A'), 'blank-opt-2', jsonb_build_array(
  jsonb_build_object('type', 'customer.upserted', 'data', jsonb_build_object('external_id', 'crm-opt', 'industry', E'\u00a0')))) is not null as cleared \gset
select tests.clear_authentication();
select is((select industry from app.customers where external_id = 'crm-opt'), null, 'a blank industry later clears the stored one');
select tests.authenticate_as_service_role();
select is(public.ingest_apply_batch(tests.org_id('Org A'), 'blank-opt-2', jsonb_build_array(
  jsonb_build_object('type', 'customer.upserted', 'data', jsonb_build_object('external_id', 'crm-opt', 'industry', E'\u00a0')))) ->> 'replayed',
  'true', 'the same body again is a replay of its delivery');

select * from finish();
rollback;
