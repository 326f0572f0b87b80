-- A slimmer index on every execution (issue 18 point 3; docs/performance.md "Orchestrator").
--
-- What and why: workflow_executions_queue_idx (org_id, assigned_to, status,
-- priority_score desc, id) held every execution, open or closed, and was written on every
-- insert and on every priority change. The queue reads open rows through its two partial
-- indexes; what this one still served, the assignee key's ON DELETE SET NULL, lookups of a
-- person's executions and the advisors' "indexed foreign key", needs only
-- (org_id, assigned_to): a third of the size, and a priority change no longer moves an
-- entry in it.
--
-- (The other keys stay: the organisation key is part of how deleting an organisation
-- cascades in order — without it an escalation re-checks an execution already gone — and
-- an organisation's override runs its version under the core workflow's identity, so the
-- workflow and version keys cannot become one.)

drop index app.workflow_executions_queue_idx;
create index workflow_executions_assignee_idx on app.workflow_executions (org_id, assigned_to);
comment on index app.workflow_executions_assignee_idx is
  'The assignee key (org_id, assigned_to) → profiles: ON DELETE SET NULL and lookups of anyone''s executions, open or closed.';
