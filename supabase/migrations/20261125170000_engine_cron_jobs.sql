-- The engine's scheduled jobs (pg_cron, as on Supabase).
--
-- Why hourly: organisations live in different time zones. The orchestrator job runs each
-- organisation whose local day has no successful run yet, so each runs once a day,
-- shortly after its own midnight; the task job's 24 h / 48 h auto-skip is then accurate
-- to the hour.

select cron.schedule(
  'run-orchestrator',
  '10 * * * *',
  $$select app.run_orchestrator_for_due_organisations()$$
);

select cron.schedule(
  'process-task-deadlines',
  '20 * * * *',
  $$select app.process_task_deadlines()$$
);
