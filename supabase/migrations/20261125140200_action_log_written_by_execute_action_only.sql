-- The action log (app.action_executions) is append-only history that users cannot forge.
--
-- Before: public.execute_action (security invoker) wrote its log row as the caller, so RLS
-- had to let authenticated INSERT a row and UPDATE its own unfinished one, and a csm could
-- write a made-up log entry (any outcome, any params) straight into the table.
-- After: no user role may insert or update the table at all (no privilege, 42501). The log
-- is written only by two security definer helpers that execute_action calls (defined with
-- it in 20261125140000_engine_saved_actions.sql):
-- - app.claim_action_log inserts the caller's unfinished entry (the idempotency claim, with
--   `on conflict do nothing`, exactly as before, so replays and concurrency are unchanged).
--   It decides who (auth.uid()), which organisation (the caller's) and which action (the
--   saved action's own key) itself, and refuses a caller who may not work on the execution.
-- - app.complete_action_log records the outcome on that entry: only the caller's own,
--   still-unfinished entry, claimed in this same transaction (created_at = now(), the
--   transaction's start), so no older entry can ever be rewritten.
-- The service-role writers (record_action_side_effect, log_refused_action) are unchanged.

-- No user writes the log directly any more.
drop policy "Assigned csm, manager or admin can create action executions" on app.action_executions;
drop policy "The executor can complete their own action while it runs" on app.action_executions;
revoke insert, update on app.action_executions from authenticated;
revoke update (success, result, params, side_effects) on app.action_executions from authenticated;
