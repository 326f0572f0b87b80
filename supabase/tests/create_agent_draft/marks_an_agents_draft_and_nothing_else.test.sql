-- A draft an AI agent writes for a person (the mcp function) is stored as the agent's:
-- generated_by 'agent' with the agent's name, unapproved, under the same rules as any new
-- artifact. Nobody can pass their own text off as an agent's, mark an older artifact, or
-- draft on a workflow they may not work on.
begin;
select plan(9);
select tests.create_rls_world();
select tests.authenticate_as('csm_a');
select tests.act_as_agent('Claude Desktop'); -- the MCP server's calls (migration 20261214500100)
select tests.row_id('workflow_executions', 'mine') as exec \gset

create temp table drafted as
  select public.create_agent_draft(:'exec', 'email_draft', 'Renewal check-in', '{"to": [], "subject": "Renewal check-in", "body": "Hi"}', 'Claude Desktop') as x;
select is((select (x ->> 'generated_by', x ->> 'ai_model', x ->> 'approved', x ->> 'version')::text from drafted),
  '(agent,"Claude Desktop",false,1)', 'stored as the agent''s unapproved version 1, with its name');
select is((select (x ->> 'created_by')::uuid from drafted), tests.get_supabase_uid('csm_a'), 'on behalf of the person whose token it used');

select tests.act_as_agent(null);
select throws_ok(format($$select public.create_agent_draft(%L, 'email_draft', 'X', '{}', '  ')$$, :'exec'),
  '42501', null, 'without the MCP server''s attestation it is no agent''s');
select tests.act_as_agent('Claude Desktop');
select throws_ok(format($$select public.create_agent_draft(%L, 'poem', 'X', '{}', 'bot')$$, :'exec'),
  '22023', null, 'the artifact rules of create_artifact apply (type)');
select throws_ok(format($$select public.create_agent_draft(%L, 'email_draft', 'X', '{"a":1}', 'bot')$$, tests.row_id('workflow_executions', 'theirs')),
  '42501', null, 'never on a workflow the person may not work on (another CSM''s)');
select throws_ok(format($$select public.create_artifact(%L, 'email_draft', 'Mine', '{}', generated_by => 'agent')$$, :'exec'),
  '22023', null, 'a person cannot claim agent provenance through create_artifact');

-- An artifact made earlier (another transaction) cannot be relabelled.
select (public.create_artifact(:'exec', 'email_draft', 'Written by me', '{"body": "mine"}') ->> 'id') as own \gset
update app.workflow_task_artifacts set created_at = now() - interval '1 minute' where id = :'own';
select throws_ok(format($$select app.mark_artifact_drafted_by_agent(%L, 'bot')$$, :'own'),
  '42501', null, 'an existing artifact cannot be marked as an agent''s');
select is((select generated_by from app.workflow_task_artifacts where id = :'own'), 'manual', 'and it stays the person''s');

select tests.authenticate_as('viewer_a');
select throws_ok(format($$select public.create_agent_draft(%L, 'email_draft', 'X', '{}', 'bot')$$, :'exec'),
  '42501', null, 'a viewer''s agent cannot draft');
select * from finish();
rollback;
