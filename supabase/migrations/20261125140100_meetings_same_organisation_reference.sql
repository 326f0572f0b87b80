-- A meeting's action-log reference stays inside its organisation, like every other
-- reference (see 20261125070000_same_organisation_references.sql, which could not reach
-- this table: app.workflow_meetings is created by 20261125140000_engine_saved_actions.sql).
-- The composite key makes a cross-organisation reference impossible by construction;
-- deleting the log entry nulls only the reference, never org_id.

alter table app.workflow_meetings
  drop constraint workflow_meetings_action_execution_id_fkey,
  add constraint workflow_meetings_action_execution_is_in_organisation
    foreign key (action_execution_id, org_id)
    references app.action_executions (id, org_id)
    on delete set null (action_execution_id);

drop index app.workflow_meetings_action_execution_id_idx;
create index workflow_meetings_action_execution_id_idx
  on app.workflow_meetings (action_execution_id, org_id)
  where action_execution_id is not null;
