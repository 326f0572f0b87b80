-- The product's own catalogue is valid under the rules admins are held to, and every
-- artifact type the rules allow is one an artifact may have.
begin;
select plan(3);
set client_min_messages = warning;
select is_empty($$ select w.key, app.workflow_definition_problems(app.workflow_definition_document(w.id, v.id))
  from app.workflows w join app.workflow_versions v on v.workflow_id = w.id and v.version = w.current_version
  where w.org_id is null and cardinality(app.workflow_definition_problems(app.workflow_definition_document(w.id, v.id))) > 0 $$,
  'every core definition passes the structural rules');
select is_empty($$ select w.key from app.workflows w join app.workflow_versions v on v.workflow_id = w.id and v.version = w.current_version
  where w.org_id is null and cardinality(app.workflow_definition_org_problems(null, app.workflow_definition_document(w.id, v.id))) > 0 $$,
  'and names only actions that exist, with defaults inside their limits');
select is_empty($$ select t from jsonb_array_elements_text(app.workflow_definition_vocabulary() -> 'artifact_types') t
  where position(quote_literal(t) in (select pg_get_constraintdef(c.oid) from pg_constraint c
                                       where c.conname = 'workflow_task_artifacts_type_is_known')) = 0 $$,
  'every artifact type of the rules is one the artifacts table accepts');
select * from finish();
rollback;
