-- A fixed answer (choose_chat_branch) sent with an idempotency key and sent again after a lost
-- answer answers what the first answered (replayed: true) and routes nothing again; the key with
-- another request is PT409. Before (until migration 20261208603000) the key served only a
-- saved-action branch, and the retry of a fixed answer answered PT409 "it is not the current step".
begin;
select plan(7);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select tests.authenticate_as('e_csm');
select public.start_workflow(:'eid') is not null as started \gset

select public.choose_chat_branch(:'eid', 'check-signature-path', 'on-track', idempotency_key => 'answer-1') as x \gset
select jsonb_array_length(metadata -> 'history') as entries from app.workflow_executions where id = :'eid' \gset
select lives_ok(format('select public.choose_chat_branch(%L, %L, %L, idempotency_key => %L)', :'eid', 'check-signature-path', 'on-track', 'answer-1'),
  'the same answer again is answered, not refused');
select public.choose_chat_branch(:'eid', 'check-signature-path', 'on-track', idempotency_key => 'answer-1') as y \gset
select is(:'y'::jsonb - 'replayed', :'x'::jsonb - 'replayed', 'with what the first answered');
select is(:'y'::jsonb ->> 'replayed', 'true', 'said to be replayed');
select is((select jsonb_array_length(metadata -> 'history') from app.workflow_executions where id = :'eid'), :'entries'::int,
  'nothing more is written');
select is((select current_step_key from app.workflow_executions where id = :'eid'), 'send-final-terms', 'the workflow stays where the first put it');
select throws_ok(format('select public.choose_chat_branch(%L, %L, %L, idempotency_key => %L)', :'eid', 'check-signature-path', 'blocked', 'answer-1'),
  'PT409', 'this key was used for a different request', 'the key with another answer is refused');
select throws_ok(format('select public.choose_chat_branch(%L, %L, %L)', :'eid', 'check-signature-path', 'on-track'),
  'PT409', null, 'without a key, a second call is refused as before');

select * from finish();
rollback;
