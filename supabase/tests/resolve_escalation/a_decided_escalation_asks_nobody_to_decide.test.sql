-- A decided escalation no longer asks its manager for a decision: its "Escalated to you"
-- notification is marked read when the manager resolves it and when the CSM withdraws it,
-- in the same call; another workflow's escalation still asks (docs/escalation-loop.md).
begin;
select plan(5);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select * from tests.create_two_open_renewals(:'org', :'csm', :'today') \gset
select tests.authenticate_as('e_csm');
select public.start_workflow(:'eid') is not null as s \gset
select public.execute_action('escalate', :'eid', '{"reason": "Champion left"}') is not null as esc \gset
select public.execute_action('escalate', :'eid2', '{"reason": "Budget cut"}') is not null as esc2 \gset
select tests.clear_authentication();

create temp view asking as
  select n.data ->> 'execution_id' as execution_id from app.notifications n
   where n.user_id = :'manager' and n.notification_type = 'escalation' and n.read_at is null;
grant select on asking to public;

select is((select count(*)::int from asking where execution_id = :'eid'), 1, 'an escalation asks its manager for a decision');

select tests.authenticate_as('e_csm');
select public.withdraw_escalation(:'eid', 'Found a new champion') is not null as withdrawn \gset
select tests.clear_authentication();
select is((select count(*)::int from asking where execution_id = :'eid'), 0, 'withdrawn, it asks no more');
select is((select count(*)::int from asking where execution_id = :'eid2'), 1, '... while another workflow''s still does');

select tests.authenticate_as('e_csm');
select public.execute_action('escalate', :'eid', '{"reason": "Champion left again"}') is not null as again \gset
select tests.clear_authentication();
select is((select count(*)::int from asking where execution_id = :'eid'), 1, 'escalated again, it asks again');
select tests.authenticate_as('e_manager');
select public.resolve_escalation(:'eid', 'return', 'Offer 10% for two years') is not null as returned \gset
select tests.clear_authentication();
select is((select count(*)::int from asking where execution_id = :'eid'), 0, 'resolved by the manager, it asks no more');
select * from finish();
rollback;
