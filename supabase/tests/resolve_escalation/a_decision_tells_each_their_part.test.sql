-- A decision tells each person their part (docs/escalation-loop.md "Notifications"): the
-- workflow's assignee reads "Returned to you with guidance"; an admin who had raised the
-- escalation about the CSM's work reads that it went back to the CSM, never "Returned to you";
-- the manager who decided is told nothing. Before (until migration 20261208601000) the one who
-- raised it got the assignee's title.
begin;
select plan(7);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, assigned_to)
values (:'org', 'Fabrikam', 40000, 70, :'csm') returning id as cust \gset
select tests.authenticate_as('e_csm');
select (public.create_workflow_execution(:'cust', 'risk-intervention') ->> 'id') as eid \gset
select public.start_workflow(:'eid') is not null as s \gset

-- An admin escalates the CSM's work; the manager returns it.
select tests.authenticate_as('e_admin');
select public.execute_action('escalate', :'eid', '{"reason": "Board asked about them"}') is not null as esc \gset
select tests.authenticate_as('e_manager');
select public.resolve_escalation(:'eid', 'return', 'Offer a workshop') is not null as r \gset
select tests.clear_authentication();
select is((select title || ' | ' || body from app.notifications where user_id = :'csm' and notification_type = 'escalation_resolved'),
  'Returned to you with guidance: Risk Intervention for Fabrikam | Offer a workshop', 'the assignee gets the guidance');
select is((select count(*)::int from app.notifications where user_id = :'admin' and title like 'Returned to you%'), 0,
  'the admin who raised it is not told it was returned to her');
select is((select title from app.notifications where user_id = :'admin' and notification_type = 'escalation_resolved'),
  'Returned to E Csm with guidance: Risk Intervention for Fabrikam', 'she reads to whom it went back');
select is((select count(*)::int from app.notifications where user_id = :'manager' and notification_type = 'escalation_resolved'), 0,
  'the manager who decided is told nothing');

-- Escalated again by the admin, closed by the manager: both read who closed it.
select tests.authenticate_as('e_admin');
select public.execute_action('escalate', :'eid', '{"reason": "Still worried"}') is not null as esc2 \gset
select tests.authenticate_as('e_manager');
select public.resolve_escalation(:'eid', 'close', 'Churn confirmed') is not null as c \gset
select tests.clear_authentication();
select is((select title from app.notifications where user_id = :'csm' and data ->> 'decision' = 'close'),
  'Closed by E Manager: Risk Intervention for Fabrikam', 'the assignee reads who closed it');
select is((select title from app.notifications where user_id = :'admin' and data ->> 'decision' = 'close'),
  'Closed by E Manager: Risk Intervention for Fabrikam', 'and so does the admin who raised it');

-- A CSM's own escalation returned: one notice, to them.
insert into app.customers (org_id, name, arr, health_score, assigned_to)
values (:'org', 'Contoso', 40000, 70, :'csm') returning id as cust2 \gset
select tests.authenticate_as('e_csm');
select (public.create_workflow_execution(:'cust2', 'risk-intervention') ->> 'id') as eid2 \gset
select public.start_workflow(:'eid2') is not null as s2 \gset
select public.execute_action('escalate', :'eid2', '{"reason": "Stuck"}') is not null as esc3 \gset
select tests.authenticate_as('e_manager');
select public.resolve_escalation(:'eid2', 'return', 'Call them') is not null as r2 \gset
select tests.clear_authentication();
select is((select count(*)::int from app.notifications where data ->> 'execution_id' = :'eid2' and notification_type = 'escalation_resolved'),
  1, 'a CSM''s own escalation returned: one notice, theirs');

select * from finish();
rollback;
