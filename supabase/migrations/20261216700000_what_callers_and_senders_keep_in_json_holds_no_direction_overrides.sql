-- Every JSON a caller or a sender's system writes holds no control character and no
-- text-direction override, in its keys or its texts, as a draft's content and an admin's
-- configuration have since 20261216500000 and 20261216510000 (docs/business-rules.md
-- "Displayable text").
--
-- What and why: log_engagement's `details`, the ingest's `metadata` (a customer's, merged key by
-- key, and an engagement event's), a contract's `terms`, a usage snapshot's `metrics`,
-- complete_step's and complete_workflow's `outcome`, an artifact's `metadata`
-- (create_artifact, update_artifact), an organisation's settings and a person's preferences
-- (update_organisation_settings, update_user_preferences) were stored as sent. Nothing in the
-- web app shows most of them, but get_customer_timeline hands an entry's details and a
-- customer's metadata to MCP agents and to the assistant's context, where
-- {"Risk<U+202E>gnp.exe": "high"} reads "Riskexe.png: high". Now a check constraint on each
-- column asks app.require_displayable_json (every key one line, every text one line or several
-- as app.text_field_is_one_line says), so every path that writes one (an RPC, the ingest, a
-- seed, a plain update) is refused alike: 22023 naming the field as a path
-- (metadata.details.note, outcome.decision, terms.tier), nothing written. The ingest's schema
-- refuses the same with 422 first (functions-shared/api/displayable.ts displayableJson).
--
-- Rows stored before are mended first, as 20261216510000 mended an admin's configuration:
-- only rows the fast path (app.json_may_hold_undisplayable) cannot clear are walked, so the
-- big tables (engagement_events, usage_snapshots) are read once as text and not walked.
--
-- Left alone: copies of checked JSON (an audit log's before and after, an answered request),
-- what a model writes (a chat message's metadata, a tool call's input and output, a daily
-- brief) and what only Renubu writes (a task's, an execution's and a thread's metadata).

do $$
declare
  c record;
begin
  for c in
    select * from (values
      ('customers', 'metadata', 'metadata'),
      ('engagement_events', 'metadata', 'metadata'),
      ('contracts', 'terms', 'terms'),
      ('usage_snapshots', 'metrics', 'metrics'),
      ('workflow_step_executions', 'outcome', 'outcome'),
      ('workflow_executions', 'outcome', 'outcome'),
      ('workflow_task_artifacts', 'metadata', 'metadata'),
      ('workflow_task_artifact_versions', 'metadata', 'metadata'),
      ('organisation_settings', 'settings', 'settings'),
      ('user_preferences', 'ui', 'ui'),
      ('user_preferences', 'chat', 'chat'),
      ('user_preferences', 'notifications', 'notifications'),
      ('user_preferences', 'workflow', 'workflow')
    ) as v(tbl, col, name)
  loop
    -- displayable_json changes only what the rule refuses, so a row it changes needs mending
    execute format('update app.%I set %I = app.displayable_json(%I, %L) where app.json_may_hold_undisplayable(%I) and app.displayable_json(%I, %L) <> %I',
                   c.tbl, c.col, c.col, c.name, c.col, c.col, c.name, c.col);
    execute format('alter table app.%I add constraint %I check (app.require_displayable_json(%I, %L))',
                   c.tbl, c.tbl || '_' || c.col || '_is_displayable', c.col, c.name);
  end loop;
end;
$$;
