-- An outcome recorded again under the key of one whose answer was lost answers what the first
-- answered, recorded once, instead of PT409 "This renewal workflow is completed"; another
-- outcome under the key is PT409 (migration 20261207707000).
begin;
select plan(6);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 100000, 80, :'today'::date + 40, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e
 where e.customer_id = :'cust' and e.status = 'queued' and e.renewal_stage is not null \gset

select tests.authenticate_as('e_csm');
select public.record_renewal_outcome(:'eid', 'renewed', 120000, idempotency_key => 'won-1') as first \gset
select lives_ok(format($$select public.record_renewal_outcome(%L, 'renewed', 120000, idempotency_key => 'won-1')$$, :'eid'),
  'the same outcome again is answered, not refused');
select is(public.record_renewal_outcome(:'eid', 'renewed', 120000, idempotency_key => 'won-1'), :'first'::jsonb,
  'with what the first answered');
select throws_ok(format($$select public.record_renewal_outcome(%L, 'renewed', 130000, idempotency_key => 'won-1')$$, :'eid'),
  'PT409', 'this key was used for a different request', 'another ARR under the key is refused');
select throws_ok(format($$select public.record_renewal_outcome(%L, 'renewed', 120000, idempotency_key => 'won-2')$$, :'eid'),
  'PT409', null, 'another key is another outcome: refused, the renewal has one');
select tests.clear_authentication();
select is((select count(*)::int from app.renewal_outcomes where customer_id = :'cust'), 1, 'one outcome');
select is((select arr from app.customers where id = :'cust'), 120000.00::numeric(14, 2), 'the ARR set once');
select * from finish();
rollback;
