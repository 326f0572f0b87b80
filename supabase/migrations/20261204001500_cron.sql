-- Scheduled jobs (pg_cron): every job the database runs on its own, in one place.
--
-- Part of the release baseline (docs/schema.md): one file per area, in dependency order.
-- From now on migrations are append-only: a change is a new timestamped file.

-- pg_cron lives in pg_catalog as on Supabase (its jobs in the `cron` schema).
create extension if not exists pg_cron with schema pg_catalog;

-- The re-stamp of stored renewal stages (app.restamp_renewal_stages) runs every hour rather
-- than once at UTC midnight: a stage changes at each organisation's own local midnight, and
-- an hourly run picks that up within the hour. A run that finds nothing stale writes
-- nothing, so in effect each customer is re-stamped once a day.
select cron.schedule(
  'restamp-renewal-stages',
  '5 * * * *',
  $$select app.restamp_renewal_stages()$$
);

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

select cron.schedule('prune-processed-webhooks', '17 3 * * *', $$select app.prune_processed_webhooks()$$);

-- Every minute: a stuck reply fails between 5 and 6 minutes after its last update.
select cron.schedule(
  'reap-stuck-chat-messages',
  '* * * * *',
  $$select app.reap_stuck_chat_messages()$$
);

-- A crashed worker's lease returns to the queue even when no drain runs.
select cron.schedule('release-expired-outbox-leases', '* * * * *', $$select app.release_expired_outbox_leases()$$);

select cron.schedule('drain-outbox', '* * * * *', $$select app.request_outbox_drain()$$);

select cron.schedule('notify-due-tasks', '25 * * * *', $$select app.notify_due_tasks()$$);

select cron.schedule('expire-action-proposals', '7 * * * *', $$select app.expire_action_proposals()$$);

select cron.schedule('daily-briefs', '*/15 * * * *', $$select app.request_daily_briefs()$$);

-- Retention figures of an organisation whose time zone changed since they were made are
-- rebuilt (app.rebuild_stale_retention; a small organisation is rebuilt at once by the
-- organisation_settings trigger; until then reads compute from ARR history).
select cron.schedule('rebuild-stale-retention', '* * * * *', $$select app.rebuild_stale_retention()$$);

-- The queue's cards and stats that large statements left (docs/workflow-engine.md "Cards
-- and rendered stats").
select cron.schedule('render-queue-stats', '* * * * *', $$select app.queue_stats_render_stale()$$);
select cron.schedule('render-queue-cards', '* * * * *', $$select app.queue_cards_render_due()$$);
