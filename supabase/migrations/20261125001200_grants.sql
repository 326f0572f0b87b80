-- Table privileges for the API roles.
--
-- Why: privileges say which commands are possible at all; row-level security then says
-- on which rows. `authenticated` gets exactly the commands some policy allows (a command
-- with no policy is not granted, so it fails loudly with 42501 instead of silently
-- matching nothing). `service_role` bypasses RLS and gets everything (Edge Functions,
-- ingest, cron). `anon` gets nothing: it has no usage on `app`.

grant select, update on app.organisations to authenticated;
grant select, update on app.organisation_settings to authenticated;
grant select, insert, update, delete on app.profiles to authenticated;
grant select, insert, update, delete on app.user_preferences to authenticated;
grant select, insert, update, delete on app.notifications to authenticated;

grant select, insert, update, delete on app.customers to authenticated;
grant select, insert, update, delete on app.arr_history to authenticated;
grant select, insert, update, delete on app.usage_snapshots to authenticated;
grant select, insert, update, delete on app.engagement_events to authenticated;
grant select, insert, update, delete on app.stakeholders to authenticated;
grant select, insert, update, delete on app.contracts to authenticated;

grant select, insert, update, delete on app.workflows to authenticated;
grant select, insert, update, delete on app.workflow_versions to authenticated;
grant select, insert, update, delete on app.workflow_chat_branches to authenticated;
grant select, insert, update, delete on app.saved_actions to authenticated;

grant select, insert, update, delete on app.workflow_executions to authenticated;
grant select, insert, update, delete on app.workflow_step_executions to authenticated;
grant select, insert, update, delete on app.action_executions to authenticated;
grant select, insert, update, delete on app.orchestrator_runs to authenticated;

grant select, insert, update, delete on app.workflow_tasks to authenticated;
grant select, insert, update, delete on app.workflow_task_artifacts to authenticated;
grant select, insert, update, delete on app.workflow_task_artifact_versions to authenticated;

grant select, insert, update, delete on app.workflow_chat_threads to authenticated;
grant select, insert, update, delete on app.workflow_chat_messages to authenticated;
grant select, insert, update, delete on app.workflow_llm_context to authenticated;
grant select, insert, update, delete on app.workflow_llm_tool_calls to authenticated;

grant select, insert, update, delete on app.email_outbox to authenticated;
grant select, insert, update, delete on app.webhook_secrets to authenticated;
grant select on app.processed_webhooks to authenticated;

grant select, insert, update, delete on all tables in schema app to service_role;
