-- Same-organisation references and history that users cannot rewrite (security review).
--
-- Why:
-- 1. The schema makes every reference between tenant rows a composite foreign key
--    `(…_id, org_id) references parent (id, org_id)`, so a row can never point into
--    another organisation whatever a caller sends (docs/data-model.md). Six single-column
--    foreign keys slipped through; five are replaced here (workflow_meetings is made
--    later, see below) by its composite form with the
--    same ON DELETE behaviour (`set null (col)` nulls only the reference, never org_id).
--    The two parents that lacked a unique (id, org_id) get one. Each foreign key gets an
--    index leading with its columns (the advisors want every foreign key covered).
--    workflow_versions.org_id is null for core definitions: with MATCH SIMPLE a null
--    org_id skips the check, so a core version may name any profile as its author (core
--    versions are written by migrations, not users); an organisation's version may only
--    name one of its own members.
-- 2. The artifact version history and the action log are history: no user may rewrite or
--    delete them. Every write of workflow_task_artifact_versions is an insert (create/
--    update/restore artifact RPCs, invoker); deletes happen only through the cascade from
--    the artifact (delete_artifact), which RLS does not filter. So authenticated loses
--    update and delete on it entirely. The action log is inserted by execute_action
--    (invoker) and by log_refused_action / record_action_side_effect (service role);
--    execute_action, however, completes its own log entry as the caller at the end of the
--    same transaction (success, result, params, side_effects). So authenticated keeps
--    update only on those four columns and only of its own entry while it is still
--    unfinished (success false, no result, no error) — a committed entry is never in that
--    state, because execute_action either completes it or raises and rolls it back.
--    Delete is gone for everyone but the service role.

-- 1. Composite, same-organisation foreign keys -----------------------------------------

alter table app.workflow_chat_messages
  add constraint workflow_chat_messages_id_org_id_key unique (id, org_id);
alter table app.action_executions
  add constraint action_executions_id_org_id_key unique (id, org_id);

-- A tool call's message.
alter table app.workflow_llm_tool_calls
  drop constraint workflow_llm_tool_calls_message_id_fkey,
  add constraint workflow_llm_tool_calls_message_is_in_organisation foreign key (message_id, org_id)
    references app.workflow_chat_messages (id, org_id) on delete cascade;
drop index app.workflow_llm_tool_calls_message_id_idx;
create index workflow_llm_tool_calls_message_id_idx on app.workflow_llm_tool_calls (message_id, org_id);

-- The user message an assistant message answers.
alter table app.workflow_chat_messages
  drop constraint workflow_chat_messages_reply_to_id_fkey,
  add constraint workflow_chat_messages_reply_is_in_organisation foreign key (reply_to_id, org_id)
    references app.workflow_chat_messages (id, org_id) on delete set null (reply_to_id);
drop index app.workflow_chat_messages_reply_to_id_idx;
create index workflow_chat_messages_reply_to_id_idx on app.workflow_chat_messages (reply_to_id, org_id)
  where reply_to_id is not null;

-- The action that queued an email.
alter table app.email_outbox
  drop constraint email_outbox_action_execution_id_fkey,
  add constraint email_outbox_action_execution_is_in_organisation foreign key (action_execution_id, org_id)
    references app.action_executions (id, org_id) on delete set null (action_execution_id);
drop index app.email_outbox_action_execution_id_idx;
create index email_outbox_action_execution_id_idx on app.email_outbox (action_execution_id, org_id)
  where action_execution_id is not null;

-- The action that scheduled a meeting: NOT here. app.workflow_meetings is created by a later
-- migration (20261125140000_engine_saved_actions.sql), so its composite foreign key
-- (action_execution_id, org_id) -> app.action_executions (id, org_id) must be added by a
-- migration after that one; the unique (id, org_id) it needs is added above.

-- The author of a workflow version (core versions: org_id null, not checked — see above).
alter table app.workflow_versions
  drop constraint workflow_versions_created_by_fkey,
  add constraint workflow_versions_creator_is_in_organisation foreign key (created_by, org_id)
    references app.profiles (id, org_id) on delete set null (created_by);
drop index app.workflow_versions_created_by_idx;
create index workflow_versions_created_by_idx on app.workflow_versions (created_by, org_id)
  where created_by is not null;

-- The execution that superseded this one.
alter table app.workflow_executions
  drop constraint workflow_executions_superseded_by_fkey,
  add constraint workflow_executions_successor_is_in_organisation foreign key (superseded_by, org_id)
    references app.workflow_executions (id, org_id) on delete set null (superseded_by);
drop index app.workflow_executions_superseded_by_idx;
create index workflow_executions_superseded_by_idx on app.workflow_executions (superseded_by, org_id)
  where superseded_by is not null;

-- 2. History users cannot rewrite ----------------------------------------------------------

drop policy "Assigned csm, manager or admin can change artifact versions" on app.workflow_task_artifact_versions;
drop policy "Assigned csm, manager or admin can delete artifact versions" on app.workflow_task_artifact_versions;
revoke update, delete on app.workflow_task_artifact_versions from authenticated;

drop policy "Assigned csm, manager or admin can change action executions" on app.action_executions;
drop policy "Managers and admins can delete action executions" on app.action_executions;
revoke update, delete on app.action_executions from authenticated;
-- execute_action (security invoker) completes its own log entry in the same transaction.
grant update (success, result, params, side_effects) on app.action_executions to authenticated;

create policy "The executor can complete their own action while it runs"
  on app.action_executions for update to authenticated
  using (org_id = (select app.current_org_id()) and executed_by = (select auth.uid())
         and not success and error_message is null and result = '{}'::jsonb)
  with check (org_id = (select app.current_org_id()) and executed_by = (select auth.uid())
              and ((select app.has_role('manager', 'admin')) or app.can_work_on_execution(execution_id)));
