-- log_engagement: csms, managers and admins log a note, call, meeting or email for a
-- customer of their organisation; viewers, anon and other organisations are refused, bad
-- input is 22023, and the logged entry is what the timeline shows first.
begin;
select plan(16);
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Globex', 80000, 70, :'today'::date + 40, :'csm') returning id as cust \gset
insert into app.customers (org_id, name) values (:'other_org', 'Initech') returning id as other_cust \gset

select tests.authenticate_as('e_csm');
select is((public.log_engagement(:'cust', 'call', (now() - interval '1 hour')::text, 'Talked budget with the CFO', '{"duration_min": 30}')) ->> 'kind',
  'call', 'a csm logs a call');
select is((select count(*)::int from app.engagement_events where customer_id = :'cust' and event_type = 'call'), 1, 'stored as an engagement event');
select is((public.get_customer_timeline(:'cust') -> 'items' -> 0 ->> 'summary'), 'Talked budget with the CFO', 'the timeline shows it first');
select is((public.get_customer_timeline(:'cust') -> 'items' -> 0 -> 'actor' ->> 'id'), :'csm', 'with who logged it');
select is((public.get_customer_timeline(:'cust') -> 'items' -> 0 -> 'details' -> 'details' ->> 'duration_min'), '30', 'and its details');

-- Another csm of the organisation may log for it too (they can see and work customers).
select tests.authenticate_as('e_csm2');
select lives_ok($$ select public.log_engagement((select id from app.customers where name = 'Globex'), 'note', now()::text, 'Covering for a colleague') $$, 'another csm of the organisation can log a note');
select tests.authenticate_as('e_manager');
select lives_ok($$ select public.log_engagement((select id from app.customers where name = 'Globex'), 'meeting', now()::text, 'QBR prep') $$, 'a manager can log a meeting');

select tests.authenticate_as('e_viewer');
select throws_ok(format($$ select public.log_engagement(%L, 'note', now()::text, 'x') $$, :'cust'), '42501', null, 'a viewer may not log');
select tests.authenticate_as('o_csm');
select throws_ok(format($$ select public.log_engagement(%L, 'note', now()::text, 'x') $$, :'cust'), 'PT404', 'Customer not found', 'another organisation''s csm gets not found');
select tests.authenticate_as_anon();
select throws_ok(format($$ select public.log_engagement(%L, 'note', now()::text, 'x') $$, :'cust'), '42501', null, 'anon may not call it');

select tests.authenticate_as('e_csm');
select throws_ok(format($$ select public.log_engagement(%L, 'qbr', now()::text, 'x') $$, :'cust'), '22023', 'kind must be note, call, meeting or email', 'unknown kind');
select throws_ok(format($$ select public.log_engagement(%L, 'note', now()::text, '   ') $$, :'cust'), '22023', 'summary is required', 'blank summary');
select throws_ok(format($$ select public.log_engagement(%L, 'note', null, 'x') $$, :'cust'), '22023', 'occurred_at is required', 'no date');
select throws_ok(format($$ select public.log_engagement(%L, 'note', (now() + interval '1 hour')::text, 'x') $$, :'cust'), '22023', null, 'not in the future (what happened, not what is planned)');
select throws_ok(format($$ select public.log_engagement(%L, 'note', now()::text, 'x', '[1]') $$, :'cust'), '22023', 'details must be a JSON object', 'details must be an object');
select throws_ok(format($$ select public.log_engagement(%L, 'note', now()::text, repeat('x', 4001)) $$, :'cust'), '22023', null, 'summary too long');

select * from finish();
rollback;
