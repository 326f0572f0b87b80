-- An execution's artifacts say when each was sent (sent_at), which model or agent drafted
-- it (ai_model) and who wrote it (created_by), as get_artifact does, so the workflow page
-- can show them, and hold back Approve from the author, without reading each artifact again.
begin;
select plan(4);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
insert into app.workflow_task_artifacts (org_id, execution_id, artifact_type, title, generated_by, ai_model, sent_at)
values (:'org', :'eid', 'email_draft', 'Drafted and sent', 'ai', 'llama3.1:8b', '2026-12-02 10:30+00'),
       (:'org', :'eid', 'custom', 'Written by hand', 'manual', null, null);
insert into app.workflow_task_artifacts (org_id, execution_id, artifact_type, title, generated_by, created_by)
values (:'org', :'eid', 'email_draft', 'Sam''s draft', 'manual', :'csm');
select tests.authenticate_as('e_viewer');
create temp table listed as
  select a from jsonb_array_elements(public.get_workflow_execution(:'eid') -> 'artifacts') a;

select is((select (a ->> 'ai_model', (a ->> 'sent_at')::timestamptz = '2026-12-02 10:30+00')::text from listed where a ->> 'title' = 'Drafted and sent'),
  '(llama3.1:8b,t)', 'a sent AI draft: its model and when it was sent');
select ok((select a ? 'sent_at' and a ? 'ai_model' and a -> 'sent_at' = 'null'::jsonb and a -> 'ai_model' = 'null'::jsonb
             from listed where a ->> 'title' = 'Written by hand'), 'an unsent manual artifact: both present, null');
select is((select a - 'sent_at' - 'ai_model' - 'id' - 'created_at' - 'updated_at' - 'content' from listed where a ->> 'title' = 'Written by hand'),
  jsonb_build_object('artifact_type', 'custom', 'title', 'Written by hand', 'version', 1, 'step_key', null, 'task_id', null,
                     'thread_id', null, 'generated_by', 'manual', 'approved_by', null, 'approved_at', null, 'created_by', null,
                     'send_state', null, 'written_by', null),
  'the other fields are as before');
select is((select a ->> 'created_by' from listed where a ->> 'title' = 'Sam''s draft'), :'csm'::text, 'a person''s draft names its author');

select * from finish();
rollback;
