-- A name or a short title holding a text-direction override (U+202A–U+202E, U+2066–U+2069),
-- a direction mark or a control character — tab and line break too — is refused with 22023
-- naming the field, and nothing is written, whichever path writes it: the ingest, an RPC, a
-- workflow definition, a plain UPDATE. A multi-line text (a chat message, an engagement's
-- summary) keeps its line breaks, tabs and direction marks but not an override. Hebrew and
-- Arabic names are accepted as they are. (app.text_is_displayable, migration 20261214300000.)
begin;
select plan(35);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset

-- The ingest (service role): customers and stakeholders.
select tests.authenticate_as_service_role();
select throws_ok(format('select public.ingest_apply_batch(%L, %L, %L)', :'org', 'bidi-1', jsonb_build_array(
    jsonb_build_object('type', 'customer.upserted', 'data', jsonb_build_object('external_id', 'crm-ok', 'name', 'Initech')),
    jsonb_build_object('type', 'customer.upserted', 'data', jsonb_build_object('external_id', 'crm-spoof', 'name', E'Acme\u202Egnp.exe')))),
  '22023', 'name must not contain control characters or text-direction overrides', 'ingest: a customer name with a right-to-left override is refused');
select throws_ok(format('select public.ingest_apply_batch(%L, %L, %L)', :'org', 'bidi-2', jsonb_build_array(
    jsonb_build_object('type', 'customer.upserted', 'data', jsonb_build_object('external_id', 'crm-tab', 'name', E'Acme\tCorp')))),
  '22023', 'name must not contain control characters or text-direction overrides', 'ingest: a customer name with a tab is refused');
select throws_ok(format('select public.ingest_apply_batch(%L, %L, %L)', :'org', 'bidi-3', jsonb_build_array(
    jsonb_build_object('type', 'customer.upserted', 'data', jsonb_build_object('external_id', 'crm-rtl', 'name', 'Acme', 'industry', E'Retail\u2066x')))),
  '22023', 'industry must not contain control characters or text-direction overrides', 'ingest: an industry with an isolate is refused');
select is((select count(*)::int from app.customers where org_id = :'org' and external_id like 'crm-%'), 0, 'ingest: nothing of a refused delivery was written');
select lives_ok(format('select public.ingest_apply_batch(%L, %L, %L)', :'org', 'rtl-1', jsonb_build_array(
    jsonb_build_object('type', 'customer.upserted', 'data', jsonb_build_object('external_id', 'crm-he', 'name', 'שלום בע״מ')),
    jsonb_build_object('type', 'customer.upserted', 'data', jsonb_build_object('external_id', 'crm-ar', 'name', 'مرحبا للتجارة')))),
  'ingest: Hebrew and Arabic customer names are applied');
select throws_ok(format('select public.ingest_apply_batch(%L, %L, %L)', :'org', 'bidi-4', jsonb_build_array(
    jsonb_build_object('type', 'stakeholder.upserted', 'data', jsonb_build_object('customer_external_id', 'crm-he', 'external_id', 'sh-1',
      'name', E'Dana\u2067 Levi')))),
  '22023', 'name must not contain control characters or text-direction overrides', 'ingest: a stakeholder name with an isolate is refused');
select throws_ok(format('select public.ingest_apply_batch(%L, %L, %L)', :'org', 'bidi-5', jsonb_build_array(
    jsonb_build_object('type', 'stakeholder.upserted', 'data', jsonb_build_object('customer_external_id', 'crm-he', 'external_id', 'sh-1',
      'name', 'Dana Levi', 'title', E'VP\u200fSales')))),
  '22023', 'title must not contain control characters or text-direction overrides', 'ingest: a stakeholder title with a direction mark is refused');
select lives_ok(format('select public.ingest_apply_batch(%L, %L, %L)', :'org', 'rtl-2', jsonb_build_array(
    jsonb_build_object('type', 'stakeholder.upserted', 'data', jsonb_build_object('customer_external_id', 'crm-ar', 'external_id', 'sh-2',
      'name', 'سارة', 'title', 'مديرة المشتريات', 'notes', E'Prefers Arabic.\nCall after 10.\u200f')))),
  'ingest: an Arabic stakeholder with multi-line notes holding a direction mark is applied');
select is((select string_agg(name, ' | ' order by external_id) from app.customers where org_id = :'org' and external_id in ('crm-he', 'crm-ar')),
  'مرحبا للتجارة | שלום בע״מ', 'the right-to-left names are stored as sent');

-- Tasks (create_task, update_task) as the CSM.
select tests.authenticate_as('e_csm');
select throws_ok(format('select public.create_task(%L, %L)', E'Call \u202Eeht rengis', :'cust'),
  '22023', 'title must not contain control characters or text-direction overrides', 'create_task: a title with an override is refused');
select throws_ok(format('select public.create_task(%L, %L)', E'Call the\u0007 signer', :'cust'),
  '22023', 'title must not contain control characters or text-direction overrides', 'create_task: a title with a control character is refused');
select throws_ok(format('select public.create_task(%L, %L)', E'Call the\nsigner', :'cust'),
  '22023', 'title must not contain control characters or text-direction overrides', 'create_task: a title of two lines is refused');
select is((select count(*)::int from app.workflow_tasks where customer_id = :'cust' and title like 'Call%'), 0, 'create_task: no task was written');
select public.create_task('להתקשר ל-سارة', :'cust') ->> 'id' as task \gset
select is((select title from app.workflow_tasks where id = :'task'), 'להתקשר ל-سارة', 'create_task: a Hebrew and Arabic title is taken');
select throws_ok(format('select public.update_task(%L, %L)', :'task', jsonb_build_object('title', E'Call\u202Dback')),
  '22023', 'title must not contain control characters or text-direction overrides', 'update_task: a new title with an override is refused');
select is((select title from app.workflow_tasks where id = :'task'), 'להתקשר ל-سارة', 'update_task: the task kept its title');

-- Artifacts (create_artifact, update_artifact).
select throws_ok(format($$select public.create_artifact(%L, 'summary', %L, '{"text": "x"}')$$, :'eid', E'Notes\u202Bx'),
  '22023', 'title must not contain control characters or text-direction overrides', 'create_artifact: a title with an embedding is refused');
select public.create_artifact(:'eid', 'summary', 'Call notes', '{"text": "x"}') ->> 'id' as art \gset
select throws_ok(format('select public.update_artifact(%L, %L, 1)', :'art', jsonb_build_object('title', E'Call\u0085notes')),
  '22023', 'title must not contain control characters or text-direction overrides', 'update_artifact: a title with a C1 control is refused');
select is((select title from app.workflow_task_artifacts where id = :'art'), 'Call notes', 'update_artifact: the draft kept its title');

-- A meeting's title (the schedule_meeting action).
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'schedule_meeting', :'eid', jsonb_build_object(
    'scheduled_at', '2031-03-04T10:00:00Z', 'attendees', jsonb_build_array('dana@contoso.test'), 'title', E'Renewal\u202E call')),
  '22023', 'params.title must not contain control characters or text-direction overrides', 'schedule_meeting: a title with an override is refused, named as sent (since 20261215630000)');
select is((select count(*)::int from app.workflow_meetings where execution_id = :'eid'), 0, 'schedule_meeting: no meeting was written');

-- Multi-line texts: a chat message, an engagement's summary.
select current_step_key as step from app.workflow_executions where id = :'eid' \gset
select (public.create_chat_thread(:'eid', :'step') ->> 'id') as thread \gset
select throws_ok(format('select public.post_chat_message(%L, %L, %L)', :'thread', E'Approve \u202E%04 tnuocsid', 'c-1'),
  '22023', 'content must not contain control characters or text-direction overrides', 'post_chat_message: a message with an override is refused');
select lives_ok(format('select public.post_chat_message(%L, %L, %L)', :'thread', E'Line one\n\tשלום\u200f, Dana\r\nLine three', 'c-2'),
  'post_chat_message: a message with line breaks, a tab, Hebrew and a direction mark is taken');
select throws_ok(format('select public.log_engagement(%L, %L, %L, %L)', :'cust', 'note', now()::text, E'Pricing call\n\u2068agreed\u2069'),
  '22023', 'description must not contain control characters or text-direction overrides', 'log_engagement: a summary with an isolate is refused');
select lives_ok(format('select public.log_engagement(%L, %L, %L, %L)', :'cust', 'note', now()::text, E'مكالمة التسعير\nAgreed 5%%'),
  'log_engagement: an Arabic summary of two lines is taken');
select is((select count(*)::int from app.engagement_events where customer_id = :'cust'), 1, 'log_engagement: only the good entry is stored');

-- Admin: a workflow definition, a saved action, a webhook secret.
select tests.authenticate_as('e_admin');
select public.get_workflow_definition('expansion-proposal') as def \gset
select throws_ok(format('select public.save_workflow_definition(%L, %L, %s)', 'onboarding-call',
  jsonb_build_object('name', E'Onboarding\u202E call', 'type', 'custom', 'base_score', 55, 'steps', jsonb_build_array(jsonb_build_object(
    'key', 'call', 'title', 'Hold the call', 'type', 'meeting', 'prompt_template', 'Prepare the call.', 'artifact_types', '["meeting_notes"]'::jsonb,
    'branches', '[]'::jsonb))), 'null'),
  '22023', 'The workflow definition is not valid: name must not contain control characters or text-direction overrides',
  'save_workflow_definition: a name with an override is refused');
select throws_ok(format('select public.save_workflow_definition(%L, %L, %s)', 'expansion-proposal',
  jsonb_set(:'def'::jsonb -> 'definition', '{steps,0,title}', to_jsonb(E'First\tstep'::text)), (:'def'::jsonb ->> 'version')),
  '22023', 'The workflow definition is not valid: steps[0].title must not contain control characters or text-direction overrides',
  'save_workflow_definition: a step title with a tab is refused');
select throws_ok(format('select public.save_saved_action(%L, %L, %L, %L, %L)', 'call_back', '{}', E'Call\u202Eback', 'custom', 'Ring them'),
  '22023', 'name must not contain control characters or text-direction overrides', 'save_saved_action: a name with an override is refused');
select throws_ok(format('select public.create_webhook_secret(%L)', E'CRM\u0001sync'),
  '22023', 'label must not contain control characters or text-direction overrides', 'create_webhook_secret: a label with a control character is refused');

-- A new organisation (service role, the create-organisation function).
select tests.clear_authentication();
select tests.create_supabase_user('founder');
select tests.authenticate_as_service_role();
select throws_ok(format('select public.create_organisation(%L, %L, %L, %L)', E'Fresh\u202E Team', tests.get_supabase_uid('founder'), 'Fran', 'fran@fresh.test'),
  '22023', 'name must not contain control characters or text-direction overrides', 'create_organisation: a name with an override is refused');
select throws_ok(format('select public.create_organisation(%L, %L, %L, %L)', 'Fresh Team', tests.get_supabase_uid('founder'), E'Fran\nAdmin', 'fran@fresh.test'),
  '22023', 'full_name must not contain control characters or text-direction overrides', 'create_organisation: an admin name of two lines is refused');
select is((select count(*)::int from app.organisations where name like 'Fresh%'), 0, 'create_organisation: no organisation was made');

-- Any other path: a plain UPDATE by the database owner is refused alike.
select tests.clear_authentication();
select throws_ok(format('update app.customers set name = %L where id = %L', E'Contoso\u202E', :'cust'),
  '22023', 'name must not contain control characters or text-direction overrides', 'a plain UPDATE of a customer''s name is refused');
select is((select name from app.customers where id = :'cust'), 'Contoso', 'the customer kept its name');

select * from finish();
rollback;
