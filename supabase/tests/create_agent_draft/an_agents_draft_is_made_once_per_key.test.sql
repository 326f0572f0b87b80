-- An agent that lost a draft's answer and drafts again with the same idempotency_key gets
-- the draft it made (as it is now), not a second one; the key with another request is
-- refused and stores nothing; without a key every call drafts anew, as before.
begin;
select plan(14);
select tests.create_rls_world();
select tests.authenticate_as('csm_a');
select tests.act_as_agent('Claude Desktop'); -- the MCP server's calls (migration 20261214500100)
select tests.row_id('workflow_executions', 'mine') as exec \gset
select count(*) as before from app.workflow_task_artifacts where execution_id = :'exec' \gset

create temp table first_answer as
  select public.create_agent_draft(:'exec', 'email_draft', 'Renewal check-in', '{"to": [], "subject": "Renewal check-in", "body": "Hi"}',
                                   'Claude Desktop', idempotency_key => 'draft-1') as x;
create temp table second_answer as
  select public.create_agent_draft(:'exec', 'email_draft', 'Renewal check-in', '{"to": [], "subject": "Renewal check-in", "body": "Hi"}',
                                   'Claude Desktop', idempotency_key => 'draft-1') as x;
select is((select x ->> 'id' from second_answer), (select x ->> 'id' from first_answer), 'the same request again answers the draft it made');
select is((select count(*)::int from app.workflow_task_artifacts where execution_id = :'exec' and title = 'Renewal check-in'), 1,
  'and stores one draft');
select is((select (x ->> 'generated_by', x ->> 'ai_model')::text from second_answer), '(agent,"Claude Desktop")',
  'answered as the agent''s draft');

select throws_ok(format($$select public.create_agent_draft(%L, 'email_draft', 'Another subject', '{"to": [], "subject": "Another subject", "body": "Hi"}', 'Claude Desktop', idempotency_key => 'draft-1')$$, :'exec'),
  'PT409', 'this key was used for a different request', 'the key with another request is refused');
select tests.act_as_agent('Other agent');
select throws_ok(format($$select public.create_agent_draft(%L, 'email_draft', 'Renewal check-in', '{"to": [], "subject": "Renewal check-in", "body": "Hi"}', 'Other agent', idempotency_key => 'draft-1')$$, :'exec'),
  'PT409', 'this key was used for a different request', 'so is the key from another agent');
select tests.act_as_agent('Claude Desktop');
select is((select count(*)::int from app.workflow_task_artifacts where execution_id = :'exec'), :before + 1, 'and neither stored anything');

-- The person edits the draft; a late retry still answers it (with the edit), not a refusal.
select lives_ok(format($$select public.update_artifact(%L, '{"title": "Renewal check-in (edited)"}', 1)$$, (select x ->> 'id' from first_answer)),
  'the person edits the draft');
select is((public.create_agent_draft(:'exec', 'email_draft', 'Renewal check-in', '{"to": [], "subject": "Renewal check-in", "body": "Hi"}',
                                     'Claude Desktop', idempotency_key => 'draft-1') ->> 'title'), 'Renewal check-in (edited)',
  'a retry after the person edited the draft answers the draft as it is now');

select throws_ok(format($$select public.create_agent_draft(%L, 'email_draft', 'X', '{"body": "Hi"}', 'bot', idempotency_key => E'\u200b')$$, :'exec'),
  '22023', null, 'a key of only invisible characters is refused');

select lives_ok(format($$select public.create_agent_draft(%L, 'email_draft', 'No key', '{"body": "Hi"}', 'bot')$$, :'exec'), 'a draft without a key');
select lives_ok(format($$select public.create_agent_draft(%L, 'email_draft', 'No key', '{"body": "Hi"}', 'bot')$$, :'exec'), 'and the same again');
select is((select count(*)::int from app.workflow_task_artifacts where execution_id = :'exec' and title = 'No key'), 2,
  'without a key every call drafts anew');

-- Keys are the maker's own: another person's agent with the same key drafts its own.
select tests.authenticate_as('csm2_a');
select isnt((public.create_agent_draft(tests.row_id('workflow_executions', 'theirs'), 'email_draft', 'Theirs', '{"body": "Hi"}', 'bot',
                                        idempotency_key => 'draft-1') ->> 'id'),
  (select x ->> 'id' from first_answer), 'another person''s agent with the same key makes its own draft');
select is((select count(*)::int from app.workflow_task_artifacts where request_key = 'draft-1'), 2, 'one draft per maker and key');
select * from finish();
rollback;
