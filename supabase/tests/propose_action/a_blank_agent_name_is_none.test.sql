-- An agent's name (source_ref) of whitespace or invisible characters is stored as none; a
-- name with whitespace around it is stored without it. (Migration 20261206244300.)
begin;
select plan(3);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset

select tests.authenticate_as('e_csm');
select public.propose_action('escalate', 'The renewal is stuck in legal', '{"reason": "Legal"}',
  execution_id => :'eid', source => 'agent', source_ref => E' \u200b\t') ->> 'id' as p1 \gset
select is((select source_ref from app.action_proposals where id = :'p1'), null, 'an agent name of a zero-width space and a tab is none');
-- The MCP server's call (migration 20261214500100): the attested name is stored trimmed.
select tests.act_as_agent(E'\u00a0claude-desktop\n');
select public.propose_action('snooze', 'Board meets next week', '{"days": 3, "reason": "Board"}',
  execution_id => :'eid', source => 'agent', source_ref => E'\u00a0claude-desktop\n') as p2 \gset
select is(:'p2'::jsonb -> 'source' ->> 'ref', 'claude-desktop', 'a name is answered without the whitespace around it');
select is((select source_ref from app.action_proposals where id = (:'p2'::jsonb ->> 'id')::uuid), 'claude-desktop', 'and stored so');
select * from finish();
rollback;
