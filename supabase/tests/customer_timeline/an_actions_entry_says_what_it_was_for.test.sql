-- An action on the customer's timeline says what it was for, as the workflow page's log does:
-- the reason it was asked with (a snooze, an escalation, a skip), the task's title, the
-- meeting's title; a refused one says why it was not done. Before, a CSM reading the
-- customer page saw "Action · Escalate" and nothing of why.
begin;
select plan(5);
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Globex', 80000, 70, :'today'::date + 200, :'csm') returning id as cust \gset
insert into app.workflows (org_id, key, name, workflow_type, base_score) values (:'org', 'tl-why', 'Timeline flow', 'custom', 50) returning id as wf \gset
insert into app.workflow_versions (workflow_id, org_id, version, config) values (:'wf', :'org', 1, '{"steps": [{"key": "a", "title": "A"}]}') returning id as wv \gset
insert into app.workflow_executions (org_id, customer_id, workflow_id, workflow_version_id, assigned_to, total_steps, status, started_at)
values (:'org', :'cust', :'wf', :'wv', :'csm', 1, 'in_progress', now() - interval '5 days') returning id as ex \gset
insert into app.action_executions (org_id, execution_id, action_key, success, executed_by, created_at, params, result, error_message) values
  (:'org', :'ex', 'escalate', true, :'csm', now() - interval '4 days', '{"level": "manager", "reason": "Legal wants a 5% cap"}', '{"level": "manager"}', null),
  (:'org', :'ex', 'create_task', true, :'csm', now() - interval '3 days', '{"title": "Call Priya about the legal review", "priority": "medium"}', '{}', null),
  (:'org', :'ex', 'schedule_meeting', true, :'csm', now() - interval '2 days', '{"duration_minutes": 30}', '{"title": "Follow-up: Globex"}', null),
  (:'org', :'ex', 'snooze', false, :'csm', now() - interval '1 day', '{"days": 3, "reason": "Back Thursday"}', '{}', 'The workflow is escalated'),
  (:'org', :'ex', 'send_email', true, :'csm', now() - interval '12 hours', '{"artifact_id": "00000000-0000-4000-8000-000000000000"}', '{}', null);

select tests.authenticate_as('e_csm');
create temp table said on commit drop as
  select i ->> 'subtype' as action, i ->> 'summary' as summary
    from jsonb_array_elements(public.get_customer_timeline(:'cust', 50, null, '["action"]'::jsonb) -> 'items') i;
select is((select summary from said where action = 'escalate'), 'Legal wants a 5% cap', 'an escalation says its reason');
select is((select summary from said where action = 'create_task'), 'Call Priya about the legal review', 'a task made says its title');
select is((select summary from said where action = 'schedule_meeting'), 'Follow-up: Globex', 'a meeting says its title');
select is((select summary from said where action = 'snooze'), 'The workflow is escalated', 'a refused action says why it was not done, not its reason');
select is((select summary from said where action = 'send_email'), null, 'an email sent says nothing more: the email is an entry of its own');
select * from finish();
rollback;
