-- get_customer_timeline: engagement, workflow start and completion, actions, emails,
-- approved artifacts, stage and plan changes, newest first; keyset pages visit every entry
-- once; kinds filter; RLS (another organisation gets PT404, a viewer reads it); bad input.
begin;
select plan(14);
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Globex', 80000, 70, :'today'::date + 200, :'csm') returning id as cust \gset
insert into app.workflows (org_id, key, name, workflow_type, base_score) values (:'org', 'tl-flow', 'Timeline flow', 'custom', 50) returning id as wf \gset
insert into app.workflow_versions (workflow_id, org_id, version, config) values (:'wf', :'org', 1, '{"steps": [{"key": "a", "title": "A"}]}') returning id as wv \gset
insert into app.workflow_executions (org_id, customer_id, workflow_id, workflow_version_id, assigned_to, total_steps, status, started_at, completed_at)
values (:'org', :'cust', :'wf', :'wv', :'csm', 1, 'completed', now() - interval '5 days', now() - interval '4 days') returning id as ex \gset
insert into app.action_executions (org_id, execution_id, action_key, success, executed_by, created_at)
values (:'org', :'ex', 'snooze', true, :'csm', now() - interval '3 days');
insert into app.workflow_task_artifacts (org_id, execution_id, artifact_type, title, content, approved_by, approved_at)
values (:'org', :'ex', 'email_draft', 'Renewal note', '{}', :'manager', now() - interval '2 days');
insert into app.email_outbox (org_id, execution_id, to_addresses, subject, body_text, status, sent_at)
values (:'org', :'ex', array['cfo@globex.example'], 'Your renewal', 'Hello', 'sent', now() - interval '1 day');
insert into app.engagement_events (org_id, customer_id, event_type, occurred_at, title)
values (:'org', :'cust', 'meeting', now() - interval '6 days', 'Kick-off');
-- A forecast change (written by the forecast release's trigger; inserted here directly).
insert into app.renewal_forecast_history (org_id, execution_id, customer_id, renewal_date, category, forecast_arr, changed_by, changed_at)
values (:'org', :'ex', :'cust', :'today'::date + 200, 'at_risk', 60000, :'csm', now() - interval '12 hours');
-- A planned QBR is not activity yet: it never tops the timeline.
insert into app.engagement_events (org_id, customer_id, event_type, occurred_at, title)
values (:'org', :'cust', 'qbr', now() + interval '10 days', 'Planned QBR');
-- A stage and a plan change, recorded by the trigger.
update app.customers set renewal_date = :'today'::date + 10, health_score = 40 where id = :'cust';

select tests.authenticate_as('e_csm');
select is((select array_agg(i ->> 'kind' order by o) from jsonb_array_elements(public.get_customer_timeline(:'cust') -> 'items') with ordinality x(i, o) where o > 2),
  array['forecast_change', 'email', 'artifact_approved', 'action', 'workflow_completed', 'workflow_started', 'engagement'], 'older sources in time order');
select is((select array_agg(i ->> 'kind' order by i ->> 'kind') from jsonb_array_elements(public.get_customer_timeline(:'cust') -> 'items') with ordinality x(i, o) where o <= 2),
  array['plan_change', 'stage_change'], 'the stage and plan changes come first');
select ok((select bool_and((x.i ->> 'occurred_at')::timestamptz >= (y.i ->> 'occurred_at')::timestamptz)
             from jsonb_array_elements(public.get_customer_timeline(:'cust') -> 'items') with ordinality x(i, o)
             join jsonb_array_elements(public.get_customer_timeline(:'cust') -> 'items') with ordinality y(i, o) on y.o = x.o + 1), 'ordered newest first');
select is((select i ->> 'title' from jsonb_array_elements(public.get_customer_timeline(:'cust') -> 'items') i where i ->> 'kind' = 'stage_change'),
  'Renewal stage: Monitor → Critical', 'the stage change says from and to');
select is((select i -> 'actor' ->> 'full_name' from jsonb_array_elements(public.get_customer_timeline(:'cust') -> 'items') i where i ->> 'kind' = 'artifact_approved'),
  (select full_name from app.profiles where id = :'manager'), 'the approval names the approver');

-- Pages of 3 visit all 8 once.
create temporary table seen (n int, item jsonb) on commit drop;
grant all on seen to authenticated;
do $$
declare c text := null; p jsonb; n int := 0;
begin
  loop
    p := public.get_customer_timeline((select id from app.customers where name = 'Globex'), 3, c);
    n := n + 1;
    insert into seen select n, i from jsonb_array_elements(p -> 'items') i;
    c := p ->> 'next_cursor';
    exit when c is null or n > 10;
  end loop;
end $$;
select is((select count(*)::int from seen), 9, 'pages of three visit every entry');
select is((select count(distinct (item ->> 'id') || (item ->> 'kind'))::int from seen), 9, 'none twice (a start and a completion share the execution id)');

select is((select array_agg(i ->> 'kind') from jsonb_array_elements(public.get_customer_timeline(:'cust', 50, null, '["engagement", "email"]'::jsonb) -> 'items') i),
  array['email', 'engagement'], 'kinds filters the sources');
select throws_ok(format($$ select public.get_customer_timeline(%L, 50, null, '["gossip"]') $$, :'cust'), '22023', null, 'unknown kind');
select throws_ok(format($$ select public.get_customer_timeline(%L, 0) $$, :'cust'), '22023', null, 'page size 0');
select throws_ok(format($$ select public.get_customer_timeline(%L, 10, 'bm90LWpzb24=') $$, :'cust'), '22023', 'cursor is not valid', 'garbage cursor');

select tests.authenticate_as('e_viewer');
select is(jsonb_array_length(public.get_customer_timeline(:'cust') -> 'items'), 9, 'a viewer reads the timeline');
select is((select i ->> 'title' from jsonb_array_elements(public.get_customer_timeline(:'cust', 50, null, '["forecast_change"]'::jsonb) -> 'items') i),
  'Forecast: At risk at $60,000', 'the forecast change says its category and ARR');
select tests.authenticate_as('o_manager');
select throws_ok(format($$ select public.get_customer_timeline(%L) $$, :'cust'), 'PT404', 'Customer not found', 'another organisation gets not found');

select * from finish();
rollback;
