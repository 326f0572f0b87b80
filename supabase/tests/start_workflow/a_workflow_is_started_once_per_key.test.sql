-- A workflow started again under the key of a Start whose answer was lost answers the workflow
-- as it is now, started once, instead of PT409 "it is already in progress"; the key on another
-- workflow is PT409 (migration 20261207702000).
begin;
select plan(6);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select * from tests.create_two_open_renewals(:'org', :'csm', :'today') \gset

select tests.authenticate_as('e_csm');
select public.start_workflow(:'eid', idempotency_key => 'start-1') as first \gset
select lives_ok(format($$select public.start_workflow(%L, idempotency_key => 'start-1')$$, :'eid'),
  'the same start again is answered, not refused');
select is(public.start_workflow(:'eid', idempotency_key => 'start-1') ->> 'status', 'in_progress', 'with the workflow, started');
select is((select count(*)::int from app.workflow_executions x, jsonb_array_elements(x.metadata -> 'history') h
            where x.id = :'eid' and h ->> 'event' = 'started'), 1, 'started once');
select throws_ok(format($$select public.start_workflow(%L, idempotency_key => 'start-2')$$, :'eid'),
  'PT409', null, 'another start of a started workflow is still refused');
select throws_ok(format($$select public.start_workflow(%L, idempotency_key => 'start-1')$$, :'eid2'),
  'PT409', 'this key was used for a different request', 'the key on another workflow is refused');
select throws_ok(format($$select public.start_workflow(%L, idempotency_key => '  ')$$, :'eid2'),
  '22023', null, 'a blank key is refused');
select * from finish();
rollback;
