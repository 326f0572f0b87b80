-- The agent named on a draft (ai_model) or a proposal (source_ref) is the MCP server's
-- attestation (x-renubu-agent with its proof), never an argument a person's call sends.
-- Before (migration 20261214500100), create_agent_draft's agent_name and propose_action's
-- source_ref were stored as sent: anyone signed in could make "drafted by the agent Renewal
-- Bot" or a proposal from any agent they named.
begin;
select plan(9);
set client_min_messages = warning;
select tests.create_rls_world();
select tests.row_id('workflow_executions', 'mine') as exec \gset
-- A proof made for the token 'token-1' sent with another (the MCP server's own: tests.act_as_agent).
select tests.act_as_agent('Renewal Bot', 'token-1');
select replace(current_setting('request.headers'), 'Bearer token-1', 'Bearer token-2') as replayed_headers \gset
select tests.act_as_agent(null);

select tests.authenticate_as('csm_a');
select throws_ok(format($$select public.create_agent_draft(%L, 'email_draft', 'Hi', '{"to": [], "subject": "Hi", "body": "Hi"}', 'Renewal Bot')$$, :'exec'),
  '22023', 'agent_name is the MCP server''s to say, not sent', 'a person''s draft naming an agent is refused');
select throws_ok(format($$select public.create_agent_draft(%L, 'email_draft', 'Hi', '{"to": [], "subject": "Hi", "body": "Hi"}')$$, :'exec'),
  '42501', 'An agent''s draft is made through the MCP server', 'and one naming none is no agent''s');
select throws_ok(format($$select public.propose_action('skip', 'Not needed', '{"reason": "Not applicable"}', execution_id => %L, source_ref => 'Renewal Bot')$$, :'exec'),
  '22023', 'source_ref is the MCP server''s to say, not sent', 'a person''s proposal naming an agent is refused');
select is((select count(*)::int from app.workflow_task_artifacts where execution_id = :'exec' and generated_by = 'agent')
        + (select count(*)::int from app.action_proposals where execution_id = :'exec'), 0, 'and nothing is stored');
select is(public.propose_action('skip', 'Not needed', '{"reason": "Not applicable"}', execution_id => :'exec') -> 'source' ->> 'ref', null,
  'a person''s own proposal names no agent');

select tests.act_as_agent('Renewal Bot');
select is((public.create_agent_draft(:'exec', 'email_draft', 'Hi', '{"to": [], "subject": "Hi", "body": "Hi"}') ->> 'ai_model'),
  'Renewal Bot', 'the MCP server''s draft is the attested agent''s');
select is((public.create_agent_draft(:'exec', 'email_draft', 'Hello', '{"to": [], "subject": "Hello", "body": "Hi"}', 'Other Bot') ->> 'ai_model'),
  'Renewal Bot', 'whatever name it sends');
select is(public.propose_action('snooze', 'Champion away', '{"days": 3, "reason": "Champion away"}', execution_id => :'exec', source_ref => 'Other Bot') -> 'source' ->> 'ref',
  'Renewal Bot', 'and so is its proposal');
select set_config('request.headers', :'replayed_headers', true);
select throws_ok(format($$select public.create_agent_draft(%L, 'email_draft', 'Hi', '{"to": [], "subject": "Hi", "body": "Hi"}')$$, :'exec'),
  '42501', null, 'a proof made for another token names nobody');
select tests.clear_authentication();

select * from finish();
rollback;
