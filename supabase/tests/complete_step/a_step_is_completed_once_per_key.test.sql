-- complete_step takes an idempotency key (docs/api-contract.md): sent again after a lost
-- answer, the same key and request answer what the first answered and change nothing more; the
-- key with another request is PT409; without a key a second call is refused as before. Before
-- (until migration 20261208603000) complete_step took no key: the retry of a Complete step
-- whose answer was lost answered PT409 "it is already completed".
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
select public.start_workflow(:'eid') is not null as s \gset
select public.get_workflow_execution(:'eid') -> 'steps' -> 0 ->> 'key' as k0,
       public.get_workflow_execution(:'eid') -> 'steps' -> 1 ->> 'key' as k1 \gset

select public.complete_step(execution_id => :'eid', step_key => :'k0', idempotency_key => 'press-1') as first \gset
select jsonb_array_length(metadata -> 'history') as entries from app.workflow_executions where id = :'eid' \gset
select lives_ok(format('select public.complete_step(execution_id => %L, step_key => %L, idempotency_key => %L)', :'eid', :'k0', 'press-1'),
  'the same press again is answered, not refused');
select is(public.complete_step(execution_id => :'eid', step_key => :'k0', idempotency_key => 'press-1'), :'first'::jsonb,
  'with what the first answered');
select is((select jsonb_array_length(metadata -> 'history') from app.workflow_executions where id = :'eid'), :'entries'::int,
  'and nothing more is written');
select is((select current_step_key from app.workflow_executions where id = :'eid'), :'k1', 'the workflow stays at the next step');
select throws_ok(format('select public.complete_step(execution_id => %L, step_key => %L, idempotency_key => %L)', :'eid', :'k1', 'press-1'),
  'PT409', 'this key was used for a different request', 'the key with another step is refused');
select throws_ok(format('select public.complete_step(%L, %L)', :'eid', :'k0'), 'PT409', null, 'without a key, a second call is refused as before');
select throws_ok(format('select public.complete_step(execution_id => %L, step_key => %L, idempotency_key => %L)', :'eid', :'k1', ' '),
  '22023', null, 'a blank key is refused');

select * from finish();
rollback;
