-- An agent (the mcp function, with the person's own token) proposes as an agent, for that
-- person, on a workflow they may work on; never for someone else, never as the chat, never
-- on another CSM's workflow or another organisation's; a viewer cannot.
begin;
select plan(8);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset

select tests.authenticate_as('e_manager');
select tests.act_as_agent('claude-desktop'); -- the MCP server's calls (migration 20261214500100)
select public.propose_action('escalate', 'The renewal is stuck in legal', '{"reason": "Legal"}',
  execution_id => :'eid', source => 'agent', source_ref => 'claude-desktop') as p \gset
select is(:'p'::jsonb -> 'source' ->> 'ref', 'claude-desktop', 'the agent client is recorded');
select is(:'p'::jsonb ->> 'proposed_for', :'manager', 'for the person whose token it used');
select throws_ok(format($$select public.propose_action('skip', 'x', execution_id => %L, author_id => %L)$$, :'eid', :'csm'),
  '42501', null, 'not for someone else');
select throws_ok(format($$select public.propose_action('skip', 'x', execution_id => %L, source => 'brief')$$, :'eid'),
  '42501', null, 'not as the daily brief');
select tests.authenticate_as('e_csm2');
select throws_ok(format($$select public.propose_action('skip', 'x', execution_id => %L)$$, :'eid'), '42501', null, 'not on another CSM''s workflow');
select tests.authenticate_as('e_viewer');
select throws_ok(format($$select public.propose_action('skip', 'x', execution_id => %L)$$, :'eid'), '42501', null, 'not as a viewer');
select tests.authenticate_as('o_manager');
select throws_ok(format($$select public.propose_action('skip', 'x', execution_id => %L)$$, :'eid'), 'PT404', null, 'not in another organisation');
select tests.clear_authentication();
select is((select count(*)::int from app.notifications where user_id = :'csm' and notification_type = 'proposal'), 1, 'the assignee is notified');

select * from finish();
rollback;
