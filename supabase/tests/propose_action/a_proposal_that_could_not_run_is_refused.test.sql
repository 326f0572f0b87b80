-- A proposal carries what its action needs to run (migrations 20261208200000 and
-- 20261208201000): an escalation or a snooze without its reason, a skip without its
-- reason, a meeting without a time, at a time that is no date or that has gone, with an
-- attendee who is no address, a task without a due date, due on a day that does not
-- exist, of an unknown type or for someone who cannot take it (of another organisation, a
-- viewer, a deactivated colleague), and an email without its draft or with an id that is
-- no draft of the workflow are each refused when proposed, 22023 naming the param; nothing
-- is stored or notified, from a person or from the assistant. Each, completed, is
-- proposed; what depends on the moment of running (a draft not yet approved) is left to
-- Approve.
begin;
select plan(25);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select * from tests.create_approved_email_draft(:'org', :'csm', :'manager', :'today') \gset
insert into app.workflow_task_artifacts (org_id, execution_id, artifact_type, title, content, created_by)
values (:'org', :'eid', 'email_draft', 'Not approved yet', '{"to": ["cfo@contoso.example"], "subject": "Hi", "body": "Hello"}', :'csm')
returning id as unapproved \gset
insert into app.workflow_task_artifacts (org_id, execution_id, artifact_type, title, content, created_by)
values (:'org', :'eid', 'meeting_notes', 'Notes', '{"text": "Notes"}', :'csm')
returning id as notes \gset

update app.profiles set deactivated_at = now() where id = :'csm2';

select tests.authenticate_as('e_csm');
create function pg_temp.refused(action_key text, params jsonb, message text, description text) returns text
language sql as $$
  select throws_ok(format('select public.propose_action(%L, %L, %L, %L)', action_key, 'The assistant thinks so', params,
                          current_setting('tests.eid')), '22023', message, description)
$$;
select set_config('tests.eid', :'eid', false) is not null as set \gset

select pg_temp.refused('escalate', '{"level": "manager"}', 'params.reason is required to escalate a workflow',
                       'an escalation without its reason');
select pg_temp.refused('snooze', '{"days": 3, "reason": "\u00a0"}', 'params.reason is required to snooze a workflow',
                       'a snooze whose reason is blank');
select pg_temp.refused('skip', '{}',
                       'params.reason is required: one of Not applicable, Already completed, Customer requested skip, Internal decision, Other',
                       'a skip without its reason');
select pg_temp.refused('schedule_meeting', '{"duration_minutes": 30}', 'params.scheduled_at is required: the date and time of the meeting',
                       'a meeting without a time');
select pg_temp.refused('schedule_meeting', '{"scheduled_at": "next Tuesday"}', 'scheduled_at must be a date and time (ISO 8601)',
                       'a meeting at a time that is no date');
select pg_temp.refused('schedule_meeting', '{"scheduled_at": "2020-01-01T10:00:00Z"}',
                       'params.scheduled_at is in the past: a meeting is scheduled for a time to come', 'a meeting in the past');
select pg_temp.refused('schedule_meeting', '{"scheduled_at": "2030-01-01T10:00:00Z", "attendees": ["not an address"]}',
                       'params.attendees must be a list of email addresses', 'a meeting with an attendee who is no address');
select pg_temp.refused('create_task', '{"title": "Call"}', 'params.due_date is required for a follow-up task',
                       'a task without a due date');
select pg_temp.refused('create_task', '{"due_date": "2026-13-45"}', 'due_date must be a date and time (ISO 8601)',
                       'a task due on a day that does not exist');
select pg_temp.refused('create_task', '{"due_date": "2030-01-01", "task_type": "bogus"}', 'params.task_type is not a known task type',
                       'a task of an unknown type');
select pg_temp.refused('create_task', format('{"due_date": "2030-01-01", "assigned_to": "%s"}', :'other_csm')::jsonb,
                       'params.assigned_to must be a member of your organisation', 'a task for someone of another organisation');
select pg_temp.refused('create_task', format('{"due_date": "2030-01-01", "assigned_to": "%s"}', :'viewer')::jsonb,
                       'params.assigned_to is a viewer, who cannot take work', 'a task for a viewer');
select pg_temp.refused('create_task', format('{"due_date": "2030-01-01", "assigned_to": "%s"}', :'csm2')::jsonb,
                       'params.assigned_to has been deactivated and cannot take work', 'a task for a deactivated colleague');
select pg_temp.refused('send_email', '{}', 'params.artifact_id is required: the id of the email draft to send',
                       'an email without its draft');
select pg_temp.refused('send_email', '{"artifact_id": "nope"}', 'params.artifact_id is required: the id of the email draft to send',
                       'an email whose draft id is no id');
select pg_temp.refused('send_email', format('{"artifact_id": "%s"}', :'notes')::jsonb,
                       'params.artifact_id must be an email draft of this workflow', 'an email whose draft is no email draft');
select pg_temp.refused('send_email', format('{"artifact_id": "%s"}', gen_random_uuid())::jsonb,
                       'params.artifact_id must be an email draft of this workflow', 'an email whose draft does not exist');

-- The assistant's own proposals (service role, for the person) are held to the same rule.
select tests.authenticate_as_service_role();
select throws_ok(format($$ select public.propose_action('escalate', 'stuck', '{}', %L, source => 'brief', author_id => %L) $$, :'eid', :'csm'),
                 '22023', 'params.reason is required to escalate a workflow', 'a proposal of the daily brief too');
select tests.clear_authentication();
select is((select count(*)::int from app.action_proposals where execution_id = :'eid'), 0, 'no proposal was stored');
select is((select count(*)::int from app.notifications where org_id = :'org' and notification_type = 'proposal'), 0, 'and nobody was notified');

-- Completed, each is proposed; a draft not yet approved may be by the time it is approved.
select tests.authenticate_as('e_csm');
select lives_ok(format($$ select public.propose_action('escalate', 'stuck', '{"reason": "Legal is stuck"}', %L) $$, :'eid'),
                'an escalation with its reason');
select lives_ok(format($$ select public.propose_action('schedule_meeting', 'meet', '{"scheduled_at": "2030-01-01T10:00:00Z", "attendees": ["cfo@contoso.example"]}', %L) $$, :'eid'),
                'a meeting to come with an attendee');
select lives_ok(format($$ select public.propose_action('create_task', 'follow up', '{"due_date": "2030-01-01", "task_type": "follow_up"}', %L) $$, :'eid'),
                'a task with its due date');
select lives_ok(format($$ select public.propose_action('skip', 'not needed', '{"reason": "Other"}', %L) $$, :'eid'),
                'a skip with its reason');
select lives_ok(format($$ select public.propose_action('send_email', 'send it', '{"artifact_id": "%s"}', %L) $$, :'unapproved', :'eid'),
                'an email with a draft of the workflow, approved or not yet');

select * from finish();
rollback;
