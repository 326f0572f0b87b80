-- A stakeholder's e-mail from ingest is one address by app.email_address: one with an
-- invisible character inside, an empty one, one of spaces or text without an @ is refused
-- with 22023 naming the event, the field and the stakeholder, and nothing of the delivery
-- is written; blank characters around a good address are dropped; null clears it.
-- (Migration 20261206280000.)
begin;
select plan(10);
select tests.create_rls_world();
select tests.authenticate_as_service_role();

create temp table sent (label text, address text);
insert into sent values
  ('a zero-width space inside', E'dana\u200b@contoso.example'),
  ('a no-break space inside', E'dana\u00a0smith@contoso.example'),
  ('empty', ''),
  ('only spaces and a tab', E'  \t'),
  ('no @', 'dana.contoso.example');
grant select on sent to service_role;

-- each bad address, second in a batch after a good customer, refuses the whole delivery
select throws_ok(format('select public.ingest_apply_batch(%L, %L, %L)', tests.org_id('Org A'), 'addr-' || s.label,
  jsonb_build_array(
    jsonb_build_object('type', 'customer.upserted', 'data', jsonb_build_object('external_id', 'crm-addr', 'name', 'Addr Co')),
    jsonb_build_object('type', 'stakeholder.upserted', 'data', jsonb_build_object(
      'external_id', 'sh-dana', 'customer_external_id', 'crm-addr', 'name', 'Dana', 'email', s.address)))),
  '22023', 'event 1: data.email of stakeholder "sh-dana" is not an e-mail address', 'an address ' || s.label || ' is refused, naming the event and record')
  from sent s order by s.label;

select tests.clear_authentication();
select is((select count(*)::int from app.customers where external_id = 'crm-addr')
        + (select count(*)::int from app.stakeholders where external_id = 'sh-dana'), 0,
  'nothing of a refused delivery was written');

select tests.authenticate_as_service_role();
select lives_ok(format('select public.ingest_apply_batch(%L, %L, %L)', tests.org_id('Org A'), 'addr-ok', jsonb_build_array(
  jsonb_build_object('type', 'customer.upserted', 'data', jsonb_build_object('external_id', 'crm-addr', 'name', 'Addr Co')),
  jsonb_build_object('type', 'stakeholder.upserted', 'data', jsonb_build_object(
    'external_id', 'sh-dana', 'customer_external_id', 'crm-addr', 'name', 'Dana', 'email', E'\u200b dana@contoso.example\u00a0')))), 'a good address with blank characters around it is applied');
select tests.clear_authentication();
select is((select email from app.stakeholders where external_id = 'sh-dana'), 'dana@contoso.example',
  'a good address is applied without the blank characters around it');

select tests.authenticate_as_service_role();
select lives_ok(format('select public.ingest_apply_batch(%L, %L, %L)', tests.org_id('Org A'), 'addr-null', jsonb_build_array(
  jsonb_build_object('type', 'stakeholder.upserted', 'data', jsonb_build_object(
    'external_id', 'sh-dana', 'customer_external_id', 'crm-addr', 'email', null)))), 'an address sent as null is applied');
select tests.clear_authentication();
select is((select email from app.stakeholders where external_id = 'sh-dana'), null, 'null clears the address');
select * from finish();
rollback;
