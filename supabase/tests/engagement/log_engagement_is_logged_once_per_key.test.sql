-- log_engagement with an idempotency key: the same request again (even sent at another
-- "now") answers the entry it logged, another request with the key is PT409, a blank key is
-- 22023, and a key is the person's own.
begin;
select plan(7);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, assigned_to) values (:'org', 'Logged Co', :'csm') returning id as lc \gset

select tests.authenticate_as('e_csm');
select public.log_engagement(:'lc', 'call', (now() - interval '1 minute')::text, 'Walked the CFO through the quote', idempotency_key => 'k-1') ->> 'id' as first \gset
select is(public.log_engagement(:'lc', 'call', now()::text, 'Walked the CFO through the quote', idempotency_key => 'k-1') ->> 'id',
  :'first', 'the same request with the same key answers the entry it logged');
select throws_ok(format('select public.log_engagement(%L, %L, now()::text, %L, idempotency_key => %L)', :'lc', 'note', 'Walked the CFO through the quote', 'k-1'),
  'PT409', 'this key was used for a different request', 'another request with the key is a conflict');
select throws_ok(format('select public.log_engagement(%L, %L, now()::text, %L, idempotency_key => %L)', :'lc', 'call', 'Blank key', E'\t'),
  '22023', null, 'a blank key is refused');
select isnt(public.log_engagement(:'lc', 'call', now()::text, 'Walked the CFO through the quote') ->> 'id',
  :'first', 'without a key, each call logs an entry');
select tests.authenticate_as('e_csm2');
select isnt(public.log_engagement(:'lc', 'call', now()::text, 'Walked the CFO through the quote', idempotency_key => 'k-1') ->> 'id',
  :'first', 'another person''s same key logs their own entry');
select tests.clear_authentication();
select is((select count(*)::int from app.engagement_events where customer_id = :'lc' and description = 'Walked the CFO through the quote'), 3,
  'one entry for the keyed request, one unkeyed, one of the other person');
select is((select request_key from app.engagement_events where id = :'first'), 'k-1', 'the entry keeps the key it was logged with');

select * from finish();
rollback;
