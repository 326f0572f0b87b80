-- Titles the system makes from a customer's name (which may be 300 characters) are
-- shortened to fit the 300-character title bound (app.fit_title); a title a person typed
-- that is too long is still refused (22023 naming it).
begin;
select plan(11);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', repeat('N', 290), 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select tests.authenticate_as('e_csm');

select public.execute_action('create_task', :'eid', jsonb_build_object('due_date', '2030-01-01T09:00:00Z', 'assigned_to', :'csm2')) as task \gset
select is((select length(title) from app.workflow_tasks where id = (:'task'::jsonb -> 'result' ->> 'task_id')::uuid), 300,
  'create_task without a title: "Follow up with <name>" shortened to 300');
select is((select right(title, 1) from app.workflow_tasks where id = (:'task'::jsonb -> 'result' ->> 'task_id')::uuid), '…',
  '... ending with an ellipsis');
select ok((select title from app.workflow_tasks where id = (:'task'::jsonb -> 'result' ->> 'task_id')::uuid) like 'Follow up with NNN%',
  '... and starting as before');

select public.execute_action('schedule_meeting', :'eid', '{"scheduled_at": "2030-01-01T10:00:00Z", "attendees": ["cfo@contoso.example"]}') as meeting \gset
select is((select length(title) from app.workflow_meetings where id = (:'meeting'::jsonb -> 'result' ->> 'meeting_id')::uuid), 300,
  'schedule_meeting without a title: "Follow-up: <name>" shortened to 300');
select is((select length(title) from app.workflow_tasks where id = (:'meeting'::jsonb -> 'result' ->> 'task_id')::uuid), 300,
  '... and its task "Hold meeting: ..." too');

select public.execute_action('schedule_meeting', :'eid', jsonb_build_object('scheduled_at', '2030-01-02T10:00:00Z',
         'attendees', '["cfo@contoso.example"]'::jsonb, 'title', repeat('T', 295))) as typed \gset
select is((select title from app.workflow_meetings where id = (:'typed'::jsonb -> 'result' ->> 'meeting_id')::uuid), repeat('T', 295),
  'a typed title that fits is kept as typed');
select is((select length(title) from app.workflow_tasks where id = (:'typed'::jsonb -> 'result' ->> 'task_id')::uuid), 300,
  '... and the task made around it is shortened');

select throws_ok(format('select public.execute_action(%L, %L, %L)', 'create_task', :'eid',
  jsonb_build_object('due_date', '2030-01-01T09:00:00Z', 'title', repeat('T', 301))),
  '22023', 'title is longer than 300 characters', 'a typed task title over 300 is refused');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'schedule_meeting', :'eid',
  jsonb_build_object('scheduled_at', '2030-01-03T10:00:00Z', 'attendees', '["cfo@contoso.example"]'::jsonb, 'title', repeat('T', 301))),
  '22023', 'title is longer than 300 characters', 'a typed meeting title over 300 is refused');
select tests.clear_authentication();
select cmp_ok((select max(length(title)) from app.notifications where user_id = :'csm2' and data ->> 'task_id' = :'task'::jsonb -> 'result' ->> 'task_id'), '<=', 300,
  'the assignee''s notification title fits too');
select is(app.fit_title(repeat('x', 300)), repeat('x', 300), 'a title of exactly 300 is not cut');

select * from finish();
rollback;
