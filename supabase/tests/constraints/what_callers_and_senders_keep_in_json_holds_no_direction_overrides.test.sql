-- Every JSON a caller or a sender's system writes holds no text-direction override and no
-- control character, in its keys or its texts, as a draft's content does: an engagement
-- entry's details (log_engagement) and metadata (the ingest), a customer's metadata (the
-- ingest, merged key by key), a step's outcome (complete_step), and, by a plain update, every
-- other column migration 20261216700000 guards. Before it, {"Risk<U+202E>gnp.exe": "high"} was
-- stored and get_customer_timeline handed it to MCP agents and the assistant's context as
-- "Riskexe.png: high". Refused with 22023 naming the field, nothing written.
begin;
select plan(15);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to, external_id)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm', 'C-1') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset

select tests.authenticate_as('e_csm');
select throws_ok(format('select public.log_engagement(%L, %L, %L, %L, %L)', :'cust', 'note', now()::text, 'Call',
    jsonb_build_object(E'Risk\u202Egnp.exe', 'high')),
  '22023', 'a key in details must not contain control characters or text-direction overrides',
  'a key of an entry''s details holding an override is refused, naming the details');
select throws_ok(format('select public.log_engagement(%L, %L, %L, %L, %L)', :'cust', 'note', now()::text, 'Call',
    jsonb_build_object('risk', E'high\u2066er')),
  '22023', 'details.risk must not contain control characters or text-direction overrides',
  'a text of an entry''s details holding an isolate is refused, naming it');
select is((select count(*)::int from app.engagement_events where customer_id = :'cust'), 0, 'no entry was logged');
select lives_ok(format('select public.log_engagement(%L, %L, %L, %L, %L)', :'cust', 'note', now()::text, 'Call',
    jsonb_build_object('רמה', E'גבוה\nline two')),
  'Hebrew keys and a text of several lines are logged');

select public.start_workflow(:'eid') is not null as s \gset
select throws_ok(format('select public.complete_step(%L, %L, %L)', :'eid',
    (select current_step_key from app.workflow_executions where id = :'eid'), jsonb_build_object('decision', E'renew\u202E')),
  '22023', 'outcome.decision must not contain control characters or text-direction overrides',
  'a step''s outcome holding an override is refused');
select is((select count(*)::int from app.workflow_step_executions where execution_id = :'eid' and status = 'completed'), 0,
  'and no step was completed');
select tests.clear_authentication();

select tests.authenticate_as_service_role();
select throws_ok(format('select public.ingest_apply_batch(%L, %L, %L)', :'org', 'meta-1', jsonb_build_array(
    jsonb_build_object('type', 'customer.upserted', 'data', jsonb_build_object('external_id', 'C-1',
      'metadata', jsonb_build_object(E'tier\u202E', 'gold'))))),
  '22023', 'a key in metadata must not contain control characters or text-direction overrides',
  'a customer''s metadata key holding an override is refused by the ingest');
select throws_ok(format('select public.ingest_apply_batch(%L, %L, %L)', :'org', 'meta-2', jsonb_build_array(
    jsonb_build_object('type', 'engagement.event', 'data', jsonb_build_object('customer_external_id', 'C-1',
      'event_type', 'call', 'occurred_at', now(), 'metadata', jsonb_build_object('owner', jsonb_build_object('name', E'Ann\tLee')))))),
  '22023', 'metadata.owner.name must not contain control characters or text-direction overrides',
  'an engagement event''s metadata is checked at any depth, a name as one line');
select is((select metadata from app.customers where id = :'cust'), '{}'::jsonb, 'the customer''s metadata is as it was');
select tests.clear_authentication();

select is(tests.violation(format($$update app.workflow_executions set outcome = '{"note": "a\u202Eb"}' where id = %L$$, :'eid')),
  '22023', 'an execution''s outcome is guarded against a plain update');
select is(tests.violation(format($$insert into app.usage_snapshots (org_id, customer_id, recorded_at, metrics) values (%L, %L, now(), '{"x\u2067": 1}')$$, :'org', :'cust')),
  '22023', 'a usage snapshot''s metrics');
select is(tests.violation(format($$update app.customers set metadata = '{"a": "b\u0007"}' where id = %L$$, :'cust')),
  '22023', 'a customer''s metadata (a control character)');
select is(tests.violation(format($$update app.organisation_settings set settings = '{"ui": {"x\u202E": 1}}' where org_id = %L$$, :'org')),
  '22023', 'an organisation''s settings');
select is(tests.violation(format($$insert into app.user_preferences (user_id, org_id, ui) values (%L, %L, '{"theme\u202E": "dark"}')$$, :'csm', :'org')),
  '22023', 'a person''s preferences');
select is((select count(*)::int from pg_constraint where conname in ('contracts_terms_is_displayable',
   'workflow_step_executions_outcome_is_displayable', 'workflow_task_artifacts_metadata_is_displayable',
   'workflow_task_artifact_versions_metadata_is_displayable', 'engagement_events_metadata_is_displayable',
   'user_preferences_chat_is_displayable', 'user_preferences_notifications_is_displayable', 'user_preferences_workflow_is_displayable')), 8,
  'a contract''s terms, an artifact''s metadata and its versions'', and every preference group hold the rule too');
select * from finish();
rollback;
