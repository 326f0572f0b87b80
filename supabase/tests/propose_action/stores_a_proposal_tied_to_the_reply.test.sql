-- propose_action from the chat (service role) stores a proposal tied to the reply being
-- answered, notifies the assignee, stores a repeated suggestion once, and executes
-- nothing; a signed-in person cannot store a chat proposal, and a finished reply cannot
-- carry one.
begin;
select plan(12);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select tests.authenticate_as('e_csm');
select public.start_workflow(:'eid') is not null as started \gset
select (public.create_chat_thread(:'eid', 'check-signature-path')) ->> 'id' as tid \gset
select public.post_chat_message(:'tid', 'Should I snooze this?', 'c-1') -> 'assistant_message' ->> 'id' as mid \gset

select throws_ok(format($$select public.propose_action('snooze', 'x', thread_id => %L, message_id => %L)$$, :'tid', :'mid'),
  '42501', null, 'a signed-in person cannot store a proposal as the chat assistant');

select tests.authenticate_as_service_role();
select public.propose_action('snooze', 'They are on holiday until Monday', '{"days": 7, "reason": "Holiday"}',
  thread_id => :'tid', message_id => :'mid', author_id => :'csm') as p \gset
select is(:'p'::jsonb ->> 'status', 'proposed', 'the proposal waits for a decision');
select is(:'p'::jsonb -> 'source' ->> 'kind', 'thread', 'it names its source');
select is(:'p'::jsonb -> 'source' ->> 'message_id', :'mid', 'the reply it came from');
select is(:'p'::jsonb ->> 'execution_id', :'eid', 'the chat''s workflow');
select public.propose_action('snooze', 'Said again', '{"days": 7, "reason": "Holiday"}',
  thread_id => :'tid', message_id => :'mid', author_id => :'csm') as p2 \gset
select is(:'p2'::jsonb ->> 'id', :'p'::jsonb ->> 'id', 'the same suggestion is stored once');
select throws_ok(format($$select public.propose_action('teleport', 'x', thread_id => %L, message_id => %L, author_id => %L)$$, :'tid', :'mid', :'csm'),
  '22023', null, 'an unknown action');
select throws_ok(format($$select public.propose_action('skip', 'x', thread_id => %L, message_id => %L, author_id => %L)$$, :'tid', :'mid', :'other_csm'),
  '42501', null, 'for a person of another organisation');
select throws_ok(format($$select public.propose_action('skip', 'x', thread_id => %L, message_id => %L, author_id => %L)$$, :'tid', :'mid', :'csm2'),
  '42501', null, 'for a CSM who is not on this workflow');
update app.workflow_chat_messages set status = 'complete' where id = :'mid';
select throws_ok(format($$select public.propose_action('skip', 'x', thread_id => %L, message_id => %L, author_id => %L)$$, :'tid', :'mid', :'csm'),
  'PT409', null, 'a finished reply cannot carry a proposal');

select tests.clear_authentication();
select is((select status from app.workflow_executions where id = :'eid'), 'in_progress', 'nothing was executed');
select is((select count(*)::int from app.notifications where user_id = :'csm' and notification_type = 'proposal'
            and data ->> 'proposal_id' = :'p'::jsonb ->> 'id'), 1, 'the assignee is notified once');

select * from finish();
rollback;
