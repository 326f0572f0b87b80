-- The helpers with a FROM that the API calls on every request are PL/pgSQL, planned once
-- per connection (migrations 20261206210000, 211000 and 217000, docs/performance.md 6 Dec 2026): a
-- `language sql` function that sets its search_path is planned again by every statement
-- that calls it. one_expression_helpers_are_plpgsql covers the one-expression helpers;
-- these read tables, so the rule cannot be read from the body and they are named.
begin;
select plan(1);

select is_empty(
  $$ select p.oid::regprocedure::text from pg_proc p join pg_language l on l.oid = p.prolang
      where p.oid in ('app.lookup_entries(text)'::regprocedure, 'app.lookup_keys(text)'::regprocedure,
                      'app.organisation_settings_document(uuid)'::regprocedure,
                      'app.saved_action_entry(app.saved_actions)'::regprocedure,
                      'app.resolve_user_preferences(jsonb, jsonb, jsonb, jsonb)'::regprocedure,
                      'app.effective_workflows(uuid)'::regprocedure,
                      'public.list_saved_actions()'::regprocedure, 'public.list_task_options()'::regprocedure,
                      'public.list_escalation_levels()'::regprocedure, 'public.list_workflow_types()'::regprocedure,
                      -- the shapes built per row or per answer, and four small RPCs
                      'app.task_json(app.workflow_tasks, date)'::regprocedure,
                      'app.proposal_json(app.action_proposals)'::regprocedure,
                      'app.person_json(app.profiles)'::regprocedure, 'app.execution_summary(uuid)'::regprocedure,
                      'app.execution_label(app.workflow_executions)'::regprocedure,
                      'public.get_daily_brief(text)'::regprocedure, 'public.list_workflow_definitions()'::regprocedure,
                      'public.ingest_webhook_secrets(text)'::regprocedure,
                      'public.log_engagement(uuid, text, text, text, jsonb, text)'::regprocedure,
                      -- the write paths' helpers: the workload lock, e-mail, outbox, contracts, definitions
                      'app.lock_assignee_workload(uuid)'::regprocedure,
                      'app.workflow_definition_summary(app.workflows, uuid)'::regprocedure,
                      'app.workflow_definition_log_entry(app.workflows)'::regprocedure,
                      'app.email_set(text[])'::regprocedure, 'app.jsonb_text(jsonb)'::regprocedure,
                      'app.email_waits_for_a_decision(uuid)'::regprocedure,
                      'app.email_is_sent_or_on_its_way(app.workflow_task_artifacts)'::regprocedure,
                      'app.artifact_text_author(app.workflow_task_artifacts)'::regprocedure,
                      'app.artifact_send_state(uuid, uuid, timestamptz)'::regprocedure,
                      'app.claimed_outbox_json(app.email_outbox)'::regprocedure,
                      'app.contract_extraction_json(app.contract_extractions, boolean)'::regprocedure,
                      'app.organisation_brief_time(uuid)'::regprocedure, 'app.email_list(jsonb)'::regprocedure)
        and l.lanname <> 'plpgsql' $$,
  'the per-request helpers, shapes and lookup lists are PL/pgSQL'
);

select * from finish();
rollback;
