-- The facts of a brief, on fixed data: a health drop of 10+ points, a renewal stage change
-- since the last brief, a notice deadline within 14 days, a new support ticket, a task due
-- and the top of the queue — and nothing of another CSM's book.
begin;
select plan(10);
select * from tests.create_engine_world() \gset

-- Hale: health 80 a week ago, 62 now (a drop of 18).
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Hale', 50000, 80, :'today'::date + 200, :'csm') returning id as hale \gset
update app.customer_score_history set recorded_at = now() - interval '7 days' where customer_id = :'hale';
update app.customers set health_score = 62 where id = :'hale';  -- recorded now by the history trigger

-- Nord: an auto-renewing contract with 60 days' notice, renewing in 70 days: notice in 10.
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Nord', 90000, 75, :'today'::date + 70, :'csm') returning id as nord \gset
insert into app.contracts (org_id, customer_id, status, start_date, end_date, auto_renew, notice_period_days, annual_value)
values (:'org', :'nord', 'active', :'today'::date - 295, :'today'::date + 70, true, 60, 90000);

-- Tix: a support ticket opened since the last brief; a task due yesterday.
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Tix', 20000, 70, :'today'::date + 300, :'csm') returning id as tix \gset
insert into app.engagement_events (org_id, customer_id, event_type, occurred_at, title, ticket_status)
values (:'org', :'tix', 'support_ticket', now() - interval '2 hours', 'SSO login fails', 'open');
insert into app.workflow_tasks (org_id, customer_id, title, assigned_to, due_date)
values (:'org', :'tix', 'Send the SSO fix note', :'csm', now() - interval '1 day');

-- Another CSM's customer with the same kinds of change: never in this CSM's brief.
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Elsewhere', 50000, 90, :'today'::date + 200, :'csm2') returning id as other \gset
update app.customer_score_history set recorded_at = now() - interval '7 days' where customer_id = :'other';
update app.customers set health_score = 40 where id = :'other';

-- Sol: renews in 3 days, so its stage changed today (recorded by the stage-change trigger).
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Sol', 70000, 70, :'today'::date + 100, :'csm') returning id as sol \gset
update app.customers set renewal_date = :'today'::date + 3 where id = :'sol';
select tests.authenticate_as('e_manager');
select public.run_orchestrator(:'today') is not null as ran \gset

select tests.authenticate_as_service_role();
create temp table f as
  select value as fact from jsonb_array_elements(app.daily_brief_facts(:'org', :'csm', now() - interval '1 day', :'today'::date));

select is((select fact ->> 'drop' from f where fact ->> 'kind' = 'health_drop' and fact ->> 'customer' = 'Hale'), '18',
  'a health drop of 18 points since the last brief is a fact');
select is((select (fact ->> 'days', fact ->> 'decision_date')::text from f where fact ->> 'kind' = 'notice_deadline'),
  format('(10,%s)', :'today'::date + 10), 'the notice deadline in 10 days is a fact, with its date');
select is((select fact ->> 'title' from f where fact ->> 'kind' = 'new_ticket'), 'SSO login fails', 'the new support ticket is a fact');
select is((select fact ->> 'title' from f where fact ->> 'kind' = 'task_due'), 'Send the SSO fix note', 'the task due is a fact');
select is((select fact ->> 'to' from f where fact ->> 'kind' = 'stage_change' and fact ->> 'customer' = 'Sol'), 'Emergency',
  'Sol''s move to Emergency since the last brief is a fact');
select ok((select count(*) from f where fact ->> 'kind' = 'top_item') between 1 and 5, 'the top of the queue, at most five items');
select is((select fact ->> 'customer' from f where fact ->> 'kind' = 'top_item' order by (fact ->> 'id') limit 1), 'Sol',
  'the first top item is the emergency renewal');
select is((select count(*)::int from f where fact ->> 'customer' = 'Elsewhere'), 0, 'nothing of another CSM''s book');
select is((select array_agg(value ->> 'id' order by ordinality) from jsonb_array_elements(app.daily_brief_facts(:'org', :'csm', now() - interval '1 day', :'today'::date)) with ordinality),
  (select array_agg('f' || n) from generate_series(1, (select count(*)::int from f)) n), 'facts are numbered f1, f2, … in order');

-- Nothing changed after "since": only the queue and the standing items remain.
select is((select count(*)::int from jsonb_array_elements(app.daily_brief_facts(:'org', :'csm', now() + interval '1 minute', :'today'::date)) x
            where x.value ->> 'kind' in ('stage_change', 'health_drop', 'new_ticket')), 0,
  'changes before the last brief are not repeated');
select * from finish();
rollback;
