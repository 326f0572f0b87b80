-- The agent's name the MCP server attests is a name like any other (docs/business-rules.md
-- "Displayable text"): one line, with no control character and no text-direction override.
-- It is shown to other people on what the agent wrote ("drafted by the agent …", "logged by
-- the agent …", a proposal's source), and an MCP client names itself. Before migration
-- 20261215610000 app.calling_agent() took any name: 'Renewal Bot<U+202E>gnp.exe' read
-- 'Renewal Botexe.png' on a colleague's screen, and a line break split the line. Now every
-- write it attests is refused with 22023 naming x-renubu-agent, and nothing is written.
begin;
select plan(8);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select * from tests.create_two_open_renewals(:'org', :'csm', :'today') \gset
select tests.authenticate_as('e_csm');
select public.start_workflow(:'eid') is not null as started \gset

select tests.act_as_agent(E'Renewal Bot\u202Egnp.exe');
select throws_ok(format($$select public.log_engagement(%L, 'note', '2026-12-01T10:00:00Z', 'Spoke to the CFO')$$, :'cust'),
  '22023', 'x-renubu-agent must not contain control characters or text-direction overrides',
  'an entry logged by an agent whose name holds a right-to-left override is refused');
select throws_ok(format($$select public.create_agent_draft(%L, 'email_draft', 'Check-in', '{"to": [], "subject": "Hello", "body": "Hi"}')$$, :'eid'),
  '22023', 'x-renubu-agent must not contain control characters or text-direction overrides',
  'so is its draft');
select throws_ok(format($$select public.propose_action('snooze', 'Board meets next week', '{"days": 3, "reason": "Board"}', execution_id => %L)$$, :'eid'),
  '22023', 'x-renubu-agent must not contain control characters or text-direction overrides',
  'and its proposal');
select tests.act_as_agent(E'Renewal Bot\nSecond line');
select throws_ok(format($$select public.log_engagement(%L, 'note', '2026-12-01T10:00:00Z', 'Spoke to the CFO')$$, :'cust'),
  '22023', 'x-renubu-agent must not contain control characters or text-direction overrides',
  'a name is one line: a line break inside it is refused');
select tests.clear_authentication();
select is((select count(*)::int from app.engagement_events where customer_id = :'cust' and description = 'Spoke to the CFO'), 0,
  'nothing was logged');
select is((select count(*)::int from app.workflow_task_artifacts where execution_id = :'eid') +
          (select count(*)::int from app.action_proposals where execution_id = :'eid'), 0, 'nor drafted or proposed');

-- A name in Hebrew or with blank characters around it (trimmed, as before) is a name.
select tests.authenticate_as('e_csm');
select tests.act_as_agent(E'\u00a0בוט החידושים\n');
select is(public.log_engagement(:'cust', 'note', '2026-12-01T10:00:00Z', 'Sent the deck') -> 'details' ->> 'logged_by_agent',
  'בוט החידושים', 'a Hebrew name is taken, without the blank characters around it');
select tests.act_as_agent(null);
select is(public.log_engagement(:'cust', 'note', '2026-12-01T10:00:00Z', 'Called back') -> 'details' ->> 'logged_by_agent',
  null, 'and a person''s own entry names no agent');
select * from finish();
rollback;
