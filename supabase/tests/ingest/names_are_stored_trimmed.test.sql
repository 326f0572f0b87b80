-- A customer's or stakeholder's name from ingest is stored without the blank characters
-- around it (zero-width space, word joiner, byte-order mark, no-break space, tab), by
-- app.trimmed; a blank one is still refused. (Migration 20261206283000.)
begin;
select plan(4);
select tests.create_rls_world();
select tests.authenticate_as_service_role();

select lives_ok(format('select public.ingest_apply_batch(%L, %L, %L)', tests.org_id('Org A'), 'names-trimmed-1', jsonb_build_array(
  jsonb_build_object('type', 'customer.upserted', 'data', jsonb_build_object('external_id', 'crm-zed', 'name', E'\u200bZed Co\u200b\u2060')),
  jsonb_build_object('type', 'stakeholder.upserted', 'data', jsonb_build_object(
    'external_id', 'sh-zed', 'customer_external_id', 'crm-zed', 'name', E'\ufeff\u00a0Dana Zed\t\u200b')))),
  'a delivery naming a customer and a stakeholder with invisible characters around their names is applied');
select throws_ok(format('select public.ingest_apply_batch(%L, %L, %L)', tests.org_id('Org A'), 'names-trimmed-2', jsonb_build_array(
  jsonb_build_object('type', 'customer.upserted', 'data', jsonb_build_object('external_id', 'crm-zed', 'name', E'\u200b\u2060')))),
  '22023', 'event 0: data.name must not be blank', 'a name of invisible characters only is still refused');

select tests.clear_authentication();
select is((select name from app.customers where external_id = 'crm-zed'), 'Zed Co', 'the customer''s name is stored without them');
select is((select name from app.stakeholders where external_id = 'sh-zed'), 'Dana Zed', 'and the stakeholder''s');
select * from finish();
rollback;
