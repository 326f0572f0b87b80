-- Steps, threads, messages, artifacts and tasks follow their execution: the assigned csm
-- (or anyone for unassigned work) and managers write them; a colleague's and a viewer's
-- writes match nothing. (Artifact versions and the action log are history nobody updates:
-- see workflow_task_artifact_versions.test.sql and action_executions.test.sql.)
begin;
select plan(20);
select tests.create_rls_world();

create temporary table work_tables (table_name text) on commit drop;
insert into work_tables values ('workflow_step_executions'), ('workflow_chat_threads'), ('workflow_chat_messages'),
  ('workflow_task_artifacts'), ('workflow_tasks');
grant select on work_tables to authenticated;

select tests.authenticate_as('csm_a');
select isnt_empty(format('update app.%I set created_at = created_at where id = %L returning 1', table_name, tests.row_id(table_name, 'mine')),
                  format('csm: changes %s of their own execution', table_name))
from work_tables;
select is_empty(format('update app.%I set created_at = created_at where id = %L returning 1', table_name, tests.row_id(table_name, 'theirs')),
                format('csm: %s of a colleague''s execution match nothing', table_name))
from work_tables;

select tests.authenticate_as('viewer_a');
select is_empty(format('update app.%I set created_at = created_at where id = %L returning 1', table_name, tests.row_id(table_name, 'mine')),
                format('viewer: %s match nothing', table_name))
from work_tables;

select tests.authenticate_as('manager_a');
select isnt_empty(format('update app.%I set created_at = created_at where id = %L returning 1', table_name, tests.row_id(table_name, 'theirs')),
                  format('manager: changes %s of any execution', table_name))
from work_tables;

select * from finish();
rollback;
