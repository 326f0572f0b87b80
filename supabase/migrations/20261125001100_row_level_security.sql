-- Row-level security: who reads and writes what (domain.md "Tenancy and people").
--
-- Why: RPCs are security invoker, so these policies are the one place the rules live:
-- - members read everything of their own organisation, except other people's
--   preferences and notifications; nobody reads or writes another organisation's rows;
-- - viewer writes nothing but its own preferences and notifications;
-- - csm changes executions, tasks, artifacts and threads of workflows assigned to them
--   or to nobody (app.can_work_on_execution and friends);
-- - manager and admin change anything in their organisation, except that only admin
--   changes organisation settings, workflow definitions, saved actions and webhook
--   secrets (and a manager cannot create, edit or remove an admin);
-- - anon has no privileges on `app` at all (see the grants migration).
-- One policy per command, `to authenticated`, named as a sentence. Every membership test
-- is `org_id = (select app.current_org_id())`: an InitPlan computed once per statement
-- and an equality that indexes leading with `org_id` serve. Tables with no policy for a
-- command refuse it (and the grants migration does not grant it either).

-- organisations (created and removed by the service only)

create policy "Members can read their own organisation"
  on app.organisations for select to authenticated
  using (id = (select app.current_org_id()));

create policy "Admins can rename their own organisation"
  on app.organisations for update to authenticated
  using (id = (select app.current_org_id()) and (select app.has_role('admin')))
  with check (id = (select app.current_org_id()) and (select app.has_role('admin')));

-- organisation settings (one row per organisation, created with it)

create policy "Members can read their organisation's settings"
  on app.organisation_settings for select to authenticated
  using (org_id = (select app.current_org_id()));

create policy "Admins can change their organisation's settings"
  on app.organisation_settings for update to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('admin')))
  with check (org_id = (select app.current_org_id()) and (select app.has_role('admin')));

-- profiles

create policy "Members can read the profiles of their organisation"
  on app.profiles for select to authenticated
  using (org_id = (select app.current_org_id()));

create policy "Admins and managers can add non-admin people"
  on app.profiles for insert to authenticated
  with check (org_id = (select app.current_org_id()) and ((select app.has_role('admin')) or ((select app.has_role('manager')) and role <> 'admin')));

create policy "Admins and managers can change non-admin people"
  on app.profiles for update to authenticated
  using (org_id = (select app.current_org_id()) and ((select app.has_role('admin')) or ((select app.has_role('manager')) and role <> 'admin')))
  with check (org_id = (select app.current_org_id()) and ((select app.has_role('admin')) or ((select app.has_role('manager')) and role <> 'admin')));

create policy "Admins and managers can remove non-admin people"
  on app.profiles for delete to authenticated
  using (org_id = (select app.current_org_id()) and ((select app.has_role('admin')) or ((select app.has_role('manager')) and role <> 'admin')));

-- user preferences (private to their owner, every role included)

create policy "People can read their own preferences"
  on app.user_preferences for select to authenticated
  using (user_id = (select auth.uid()) and org_id = (select app.current_org_id()));

create policy "People can create their own preferences"
  on app.user_preferences for insert to authenticated
  with check (user_id = (select auth.uid()) and org_id = (select app.current_org_id()));

create policy "People can change their own preferences"
  on app.user_preferences for update to authenticated
  using (user_id = (select auth.uid()) and org_id = (select app.current_org_id()))
  with check (user_id = (select auth.uid()) and org_id = (select app.current_org_id()));

create policy "People can delete their own preferences"
  on app.user_preferences for delete to authenticated
  using (user_id = (select auth.uid()) and org_id = (select app.current_org_id()));

-- notifications (private to their recipient; anyone but a viewer may notify a colleague)

create policy "People can read their own notifications"
  on app.notifications for select to authenticated
  using (user_id = (select auth.uid()) and org_id = (select app.current_org_id()));

create policy "Non-viewers can notify colleagues, anyone can notify themselves"
  on app.notifications for insert to authenticated
  with check (org_id = (select app.current_org_id()) and (user_id = (select auth.uid()) or (select app.has_role('csm', 'manager', 'admin'))));

create policy "People can change their own notifications"
  on app.notifications for update to authenticated
  using (user_id = (select auth.uid()) and org_id = (select app.current_org_id()))
  with check (user_id = (select auth.uid()) and org_id = (select app.current_org_id()));

create policy "People can delete their own notifications"
  on app.notifications for delete to authenticated
  using (user_id = (select auth.uid()) and org_id = (select app.current_org_id()));

-- customers

create policy "Members can read their organisation's customers"
  on app.customers for select to authenticated
  using (org_id = (select app.current_org_id()));

create policy "Managers and admins can add customers"
  on app.customers for insert to authenticated
  with check (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')));

create policy "Managers and admins can change customers"
  on app.customers for update to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')))
  with check (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')));

create policy "Managers and admins can delete customers"
  on app.customers for delete to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')));

-- ARR history

create policy "Members can read their organisation's ARR history"
  on app.arr_history for select to authenticated
  using (org_id = (select app.current_org_id()));

create policy "Managers and admins can add ARR history"
  on app.arr_history for insert to authenticated
  with check (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')));

create policy "Managers and admins can change ARR history"
  on app.arr_history for update to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')))
  with check (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')));

create policy "Managers and admins can delete ARR history"
  on app.arr_history for delete to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')));

-- usage snapshots

create policy "Members can read their organisation's usage snapshots"
  on app.usage_snapshots for select to authenticated
  using (org_id = (select app.current_org_id()));

create policy "Managers and admins can add usage snapshots"
  on app.usage_snapshots for insert to authenticated
  with check (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')));

create policy "Managers and admins can change usage snapshots"
  on app.usage_snapshots for update to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')))
  with check (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')));

create policy "Managers and admins can delete usage snapshots"
  on app.usage_snapshots for delete to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')));

-- engagement events

create policy "Members can read their organisation's engagement events"
  on app.engagement_events for select to authenticated
  using (org_id = (select app.current_org_id()));

create policy "Managers and admins can add engagement events"
  on app.engagement_events for insert to authenticated
  with check (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')));

create policy "Managers and admins can change engagement events"
  on app.engagement_events for update to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')))
  with check (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')));

create policy "Managers and admins can delete engagement events"
  on app.engagement_events for delete to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')));

-- stakeholders

create policy "Members can read their organisation's stakeholders"
  on app.stakeholders for select to authenticated
  using (org_id = (select app.current_org_id()));

create policy "Managers and admins can add stakeholders"
  on app.stakeholders for insert to authenticated
  with check (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')));

create policy "Managers and admins can change stakeholders"
  on app.stakeholders for update to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')))
  with check (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')));

create policy "Managers and admins can delete stakeholders"
  on app.stakeholders for delete to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')));

-- contracts

create policy "Members can read their organisation's contracts"
  on app.contracts for select to authenticated
  using (org_id = (select app.current_org_id()));

create policy "Managers and admins can add contracts"
  on app.contracts for insert to authenticated
  with check (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')));

create policy "Managers and admins can change contracts"
  on app.contracts for update to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')))
  with check (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')));

create policy "Managers and admins can delete contracts"
  on app.contracts for delete to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')));

-- workflow definitions (core rows have org_id null: everyone reads them, nobody but the service writes them)

create policy "Members can read core and organisation workflow definitions"
  on app.workflows for select to authenticated
  using (org_id is null or org_id = (select app.current_org_id()));

create policy "Admins can add their organisation's workflow definitions"
  on app.workflows for insert to authenticated
  with check (org_id = (select app.current_org_id()) and (select app.has_role('admin')));

create policy "Admins can change their organisation's workflow definitions"
  on app.workflows for update to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('admin')))
  with check (org_id = (select app.current_org_id()) and (select app.has_role('admin')));

create policy "Admins can delete their organisation's workflow definitions"
  on app.workflows for delete to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('admin')));

-- workflow versions (core rows have org_id null: everyone reads them, nobody but the service writes them)

create policy "Members can read core and organisation workflow versions"
  on app.workflow_versions for select to authenticated
  using (org_id is null or org_id = (select app.current_org_id()));

create policy "Admins can add their organisation's workflow versions"
  on app.workflow_versions for insert to authenticated
  with check (org_id = (select app.current_org_id()) and (select app.has_role('admin')));

create policy "Admins can change their organisation's workflow versions"
  on app.workflow_versions for update to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('admin')))
  with check (org_id = (select app.current_org_id()) and (select app.has_role('admin')));

create policy "Admins can delete their organisation's workflow versions"
  on app.workflow_versions for delete to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('admin')));

-- chat branches (core rows have org_id null: everyone reads them, nobody but the service writes them)

create policy "Members can read core and organisation chat branches"
  on app.workflow_chat_branches for select to authenticated
  using (org_id is null or org_id = (select app.current_org_id()));

create policy "Admins can add their organisation's chat branches"
  on app.workflow_chat_branches for insert to authenticated
  with check (org_id = (select app.current_org_id()) and (select app.has_role('admin')));

create policy "Admins can change their organisation's chat branches"
  on app.workflow_chat_branches for update to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('admin')))
  with check (org_id = (select app.current_org_id()) and (select app.has_role('admin')));

create policy "Admins can delete their organisation's chat branches"
  on app.workflow_chat_branches for delete to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('admin')));

-- saved actions (core rows have org_id null: everyone reads them, nobody but the service writes them)

create policy "Members can read core and organisation saved actions"
  on app.saved_actions for select to authenticated
  using (org_id is null or org_id = (select app.current_org_id()));

create policy "Admins can add their organisation's saved actions"
  on app.saved_actions for insert to authenticated
  with check (org_id = (select app.current_org_id()) and (select app.has_role('admin')));

create policy "Admins can change their organisation's saved actions"
  on app.saved_actions for update to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('admin')))
  with check (org_id = (select app.current_org_id()) and (select app.has_role('admin')));

create policy "Admins can delete their organisation's saved actions"
  on app.saved_actions for delete to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('admin')));

-- workflow executions (a csm works on those assigned to them or to nobody)

create policy "Members can read their organisation's workflow executions"
  on app.workflow_executions for select to authenticated
  using (org_id = (select app.current_org_id()));

create policy "Managers, admins and csms for themselves can open executions"
  on app.workflow_executions for insert to authenticated
  with check (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or ((select app.has_role('csm')) and (assigned_to is null or assigned_to = (select auth.uid())))));

create policy "Assigned csm, manager or admin can change workflow executions"
  on app.workflow_executions for update to authenticated
  using (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or ((select app.has_role('csm')) and (assigned_to is null or assigned_to = (select auth.uid())))))
  with check (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or ((select app.has_role('csm')) and (assigned_to is null or assigned_to = (select auth.uid())))));

create policy "Managers and admins can delete workflow executions"
  on app.workflow_executions for delete to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')));

-- step executions

create policy "Members can read their organisation's step executions"
  on app.workflow_step_executions for select to authenticated
  using (org_id = (select app.current_org_id()));

create policy "Assigned csm, manager or admin can create step executions"
  on app.workflow_step_executions for insert to authenticated
  with check (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or app.can_work_on_execution(execution_id)));

create policy "Assigned csm, manager or admin can change step executions"
  on app.workflow_step_executions for update to authenticated
  using (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or app.can_work_on_execution(execution_id)))
  with check (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or app.can_work_on_execution(execution_id)));

create policy "Assigned csm, manager or admin can delete step executions"
  on app.workflow_step_executions for delete to authenticated
  using (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or app.can_work_on_execution(execution_id)));

-- action executions

create policy "Members can read their organisation's action executions"
  on app.action_executions for select to authenticated
  using (org_id = (select app.current_org_id()));

create policy "Assigned csm, manager or admin can create action executions"
  on app.action_executions for insert to authenticated
  with check (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or app.can_work_on_execution(execution_id)));

create policy "Assigned csm, manager or admin can change action executions"
  on app.action_executions for update to authenticated
  using (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or app.can_work_on_execution(execution_id)))
  with check (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or app.can_work_on_execution(execution_id)));

create policy "Managers and admins can delete action executions"
  on app.action_executions for delete to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')));

-- chat threads

create policy "Members can read their organisation's chat threads"
  on app.workflow_chat_threads for select to authenticated
  using (org_id = (select app.current_org_id()));

create policy "Assigned csm, manager or admin can create chat threads"
  on app.workflow_chat_threads for insert to authenticated
  with check (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or app.can_work_on_execution(execution_id)));

create policy "Assigned csm, manager or admin can change chat threads"
  on app.workflow_chat_threads for update to authenticated
  using (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or app.can_work_on_execution(execution_id)))
  with check (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or app.can_work_on_execution(execution_id)));

create policy "Assigned csm, manager or admin can delete chat threads"
  on app.workflow_chat_threads for delete to authenticated
  using (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or app.can_work_on_execution(execution_id)));

-- artifacts

create policy "Members can read their organisation's artifacts"
  on app.workflow_task_artifacts for select to authenticated
  using (org_id = (select app.current_org_id()));

create policy "Assigned csm, manager or admin can create artifacts"
  on app.workflow_task_artifacts for insert to authenticated
  with check (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or app.can_work_on_execution(execution_id)));

create policy "Assigned csm, manager or admin can change artifacts"
  on app.workflow_task_artifacts for update to authenticated
  using (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or app.can_work_on_execution(execution_id)))
  with check (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or app.can_work_on_execution(execution_id)));

create policy "Assigned csm, manager or admin can delete artifacts"
  on app.workflow_task_artifacts for delete to authenticated
  using (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or app.can_work_on_execution(execution_id)));

-- artifact versions

create policy "Members can read their organisation's artifact versions"
  on app.workflow_task_artifact_versions for select to authenticated
  using (org_id = (select app.current_org_id()));

create policy "Assigned csm, manager or admin can record artifact versions"
  on app.workflow_task_artifact_versions for insert to authenticated
  with check (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or app.can_work_on_artifact(artifact_id)));

create policy "Assigned csm, manager or admin can change artifact versions"
  on app.workflow_task_artifact_versions for update to authenticated
  using (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or app.can_work_on_artifact(artifact_id)))
  with check (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or app.can_work_on_artifact(artifact_id)));

create policy "Assigned csm, manager or admin can delete artifact versions"
  on app.workflow_task_artifact_versions for delete to authenticated
  using (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or app.can_work_on_artifact(artifact_id)));

-- chat messages

create policy "Members can read their organisation's chat messages"
  on app.workflow_chat_messages for select to authenticated
  using (org_id = (select app.current_org_id()));

create policy "Assigned csm, manager or admin can add chat messages"
  on app.workflow_chat_messages for insert to authenticated
  with check (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or app.can_work_on_thread(thread_id)));

create policy "Assigned csm, manager or admin can change chat messages"
  on app.workflow_chat_messages for update to authenticated
  using (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or app.can_work_on_thread(thread_id)))
  with check (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or app.can_work_on_thread(thread_id)));

create policy "Assigned csm, manager or admin can delete chat messages"
  on app.workflow_chat_messages for delete to authenticated
  using (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or app.can_work_on_thread(thread_id)));

-- LLM context

create policy "Members can read their organisation's LLM context"
  on app.workflow_llm_context for select to authenticated
  using (org_id = (select app.current_org_id()));

create policy "Assigned csm, manager or admin can add LLM context"
  on app.workflow_llm_context for insert to authenticated
  with check (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or app.can_work_on_thread(thread_id)));

create policy "Assigned csm, manager or admin can change LLM context"
  on app.workflow_llm_context for update to authenticated
  using (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or app.can_work_on_thread(thread_id)))
  with check (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or app.can_work_on_thread(thread_id)));

create policy "Assigned csm, manager or admin can delete LLM context"
  on app.workflow_llm_context for delete to authenticated
  using (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or app.can_work_on_thread(thread_id)));

-- LLM tool calls

create policy "Members can read their organisation's LLM tool calls"
  on app.workflow_llm_tool_calls for select to authenticated
  using (org_id = (select app.current_org_id()));

create policy "Assigned csm, manager or admin can add LLM tool calls"
  on app.workflow_llm_tool_calls for insert to authenticated
  with check (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or app.can_work_on_thread(thread_id)));

create policy "Assigned csm, manager or admin can change LLM tool calls"
  on app.workflow_llm_tool_calls for update to authenticated
  using (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or app.can_work_on_thread(thread_id)))
  with check (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or app.can_work_on_thread(thread_id)));

create policy "Assigned csm, manager or admin can delete LLM tool calls"
  on app.workflow_llm_tool_calls for delete to authenticated
  using (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or app.can_work_on_thread(thread_id)));

-- tasks (a csm works on tasks assigned to them or to nobody, or of their workflows; they may
-- create a task for a colleague and hand their own task on)

create policy "Members can read their organisation's tasks"
  on app.workflow_tasks for select to authenticated
  using (org_id = (select app.current_org_id()));

create policy "Managers, admins and csms can create tasks"
  on app.workflow_tasks for insert to authenticated
  with check (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or ((select app.has_role('csm')) and (assigned_to = (select auth.uid()) or assigned_to is null or (execution_id is not null and app.can_work_on_execution(execution_id)) or created_by = (select auth.uid()) or reassigned_from = (select auth.uid())))));

create policy "Its csm, a manager or an admin can change tasks"
  on app.workflow_tasks for update to authenticated
  using (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or ((select app.has_role('csm')) and (assigned_to = (select auth.uid()) or assigned_to is null or (execution_id is not null and app.can_work_on_execution(execution_id))))))
  with check (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or ((select app.has_role('csm')) and (assigned_to = (select auth.uid()) or assigned_to is null or (execution_id is not null and app.can_work_on_execution(execution_id)) or created_by = (select auth.uid()) or reassigned_from = (select auth.uid())))));

create policy "Its csm, a manager or an admin can delete tasks"
  on app.workflow_tasks for delete to authenticated
  using (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or ((select app.has_role('csm')) and (assigned_to = (select auth.uid()) or assigned_to is null or (execution_id is not null and app.can_work_on_execution(execution_id))))));

-- email outbox

create policy "Members can read their organisation's outgoing email"
  on app.email_outbox for select to authenticated
  using (org_id = (select app.current_org_id()));

create policy "Assigned csm, manager or admin can queue email"
  on app.email_outbox for insert to authenticated
  with check (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or (execution_id is not null and app.can_work_on_execution(execution_id))));

create policy "Assigned csm, manager or admin can change queued email"
  on app.email_outbox for update to authenticated
  using (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or (execution_id is not null and app.can_work_on_execution(execution_id))))
  with check (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or (execution_id is not null and app.can_work_on_execution(execution_id))));

create policy "Managers and admins can delete outgoing email"
  on app.email_outbox for delete to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')));

-- orchestrator runs

create policy "Members can read their organisation's orchestrator runs"
  on app.orchestrator_runs for select to authenticated
  using (org_id = (select app.current_org_id()));

create policy "Managers and admins can record orchestrator runs"
  on app.orchestrator_runs for insert to authenticated
  with check (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')));

create policy "Managers and admins can change orchestrator runs"
  on app.orchestrator_runs for update to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')))
  with check (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')));

create policy "Managers and admins can delete orchestrator runs"
  on app.orchestrator_runs for delete to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')));

-- webhook secrets (admins only: they sign ingest webhooks)

create policy "Admins can read their organisation's webhook secrets"
  on app.webhook_secrets for select to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('admin')));

create policy "Admins can add webhook secrets"
  on app.webhook_secrets for insert to authenticated
  with check (org_id = (select app.current_org_id()) and (select app.has_role('admin')));

create policy "Admins can change webhook secrets"
  on app.webhook_secrets for update to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('admin')))
  with check (org_id = (select app.current_org_id()) and (select app.has_role('admin')));

create policy "Admins can delete webhook secrets"
  on app.webhook_secrets for delete to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('admin')));

-- processed webhooks (written by the ingest service only)

create policy "Admins can read their organisation's processed webhooks"
  on app.processed_webhooks for select to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('admin')));

