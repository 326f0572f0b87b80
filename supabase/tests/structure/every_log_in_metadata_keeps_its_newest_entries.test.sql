-- Every log kept as a list in a row's metadata keeps its newest entries, as an execution's
-- history does (app.with_history, migration 20261206200000): an execution's escalations and
-- meetings, a task's reassignments and an artifact's approval log. Each travels with every
-- update and every read of its row (the workflow page returns an execution's metadata whole;
-- each artifact version copies its metadata), and each grew by one entry per call without
-- limit (an escalation's entry holds its reason, up to 2 000 characters: a workflow escalated
-- and withdrawn a thousand times carried about 2 MB). The database reads only a log's newest
-- entry (an escalation's, when the hold opens). And every append goes through one helper, so
-- a new log cannot grow without it.
begin;
select plan(13);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset

-- Logs already at the limit, as years of calls would leave them.
create temporary table full_log as
  select jsonb_agg(jsonb_build_object('n', n) order by n) as entries from generate_series(1, 200) n;
update app.workflow_executions
   set metadata = metadata || jsonb_build_object('escalations', (select entries from full_log), 'meetings', (select entries from full_log))
 where id = :'eid';

select tests.authenticate_as('e_csm');
select public.start_workflow(:'eid') is not null as started \gset
select public.execute_action('escalate', :'eid', '{"reason": "Pricing needs a VP"}') is not null as escalated \gset
select public.withdraw_escalation(:'eid', 'Sorted it out') is not null as withdrawn \gset
select public.execute_action('schedule_meeting', :'eid', '{"scheduled_at": "2031-01-01T10:00:00Z"}') is not null as booked \gset
select (public.create_task('Send the deck', :'cust', null, :'eid', 'custom', 'medium', '2031-01-01')) ->> 'id' as task \gset
select (public.create_artifact(:'eid', 'email_draft', 'Renewal terms',
          '{"to": ["cfo@contoso.example"], "subject": "Renewal terms", "body": "Hello"}')) ->> 'id' as draft \gset
select tests.clear_authentication();
update app.workflow_tasks set metadata = metadata || jsonb_build_object('reassignments', (select entries from full_log)) where id = :'task';
update app.workflow_task_artifacts set metadata = metadata || jsonb_build_object('approval_log', (select entries from full_log)) where id = :'draft';

select tests.authenticate_as('e_csm');
select public.act_on_task(:'task', 'reassign', format('{"assignee_id": "%s", "reason": "Casey knows the CFO"}', :'csm2')::jsonb) is not null as handed \gset
select tests.authenticate_as('e_manager');
select public.approve_artifact(:'draft') is not null as approved \gset
select tests.clear_authentication();

select metadata -> 'escalations' as escalations, metadata -> 'meetings' as meetings from app.workflow_executions where id = :'eid' \gset
select metadata -> 'reassignments' as reassignments from app.workflow_tasks where id = :'task' \gset
select metadata -> 'approval_log' as approvals from app.workflow_task_artifacts where id = :'draft' \gset

select is(jsonb_array_length(:'escalations'::jsonb), 200, 'an execution keeps its newest 200 escalations');
select is(:'escalations'::jsonb -> -1 ->> 'reason', 'Pricing needs a VP', '… the newest is the escalation just made');
select is((:'escalations'::jsonb -> 0 ->> 'n')::int, 2, '… and the oldest went');
select is(jsonb_array_length(:'meetings'::jsonb), 200, 'an execution keeps its newest 200 meetings');
select is(:'meetings'::jsonb -> -1 ->> 'duration_minutes', '30', '… the newest is the meeting just booked');
select is(jsonb_array_length(:'reassignments'::jsonb), 200, 'a task keeps its newest 200 reassignments');
select is(:'reassignments'::jsonb -> -1 ->> 'reason', 'Casey knows the CFO', '… the newest is the hand-over just made');
select is(jsonb_array_length(:'approvals'::jsonb), 200, 'an artifact keeps its newest 200 approvals and withdrawals');
select is(:'approvals'::jsonb -> -1 ->> 'approved', 'true', '… the newest is the approval just given');

-- The approval withdrawn by an edit, and by a send that asked for other recipients.
select tests.authenticate_as('e_csm');
select public.update_artifact(:'draft', '{"content": {"to": ["cfo@contoso.example"], "subject": "Renewal terms", "body": "Hello again"}}', 1) is not null as edited \gset
select tests.authenticate_as('e_manager');
select public.approve_artifact(:'draft') is not null as approved_again \gset
select tests.authenticate_as_service_role();
select public.withdraw_overridden_approval(:'csm', :'eid', format('{"artifact_id": "%s", "to": ["someone@else.example"]}', :'draft')::jsonb) as overridden \gset
select tests.clear_authentication();
select metadata -> 'approval_log' as approvals from app.workflow_task_artifacts where id = :'draft' \gset
select is(jsonb_array_length(:'approvals'::jsonb), 200, 'an edit and an overridden send keep the approval log at 200 too');
select is(:'approvals'::jsonb -> -1 ->> 'reason', 'send asked for other recipients', '… the newest is the send''s withdrawal');
select is(:'approvals'::jsonb -> -3 ->> 'reason', 'content changed', '… after the edit''s');

select is(
  (select coalesce(string_agg(n.nspname || '.' || p.proname, ', ' order by p.proname), '')
     from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname in ('app', 'public') and p.proname <> 'appended_to_log'
      and p.prosrc ~ '''\[\]''::jsonb\)\s*\|\|\s*jsonb_build_array'),
  '', 'no function appends to a log in metadata but through app.appended_to_log');

select * from finish();
rollback;
