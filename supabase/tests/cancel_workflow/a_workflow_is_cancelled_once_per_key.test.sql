-- A cancel sent again under the key of one whose answer was lost answers what the first
-- answered, the workflow cancelled once and its CSM told once, instead of PT409 "it is
-- cancelled"; the key on another workflow or with another reason is PT409; without a key a
-- second cancel is refused as before (migration 20261208100000).
begin;
select plan(10);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select * from tests.create_two_open_renewals(:'org', :'csm', :'today') \gset

select tests.authenticate_as('e_manager');
select throws_ok(format($$select public.cancel_workflow(%L, 'Duplicate', idempotency_key => ' ')$$, :'eid'),
  '22023', null, 'a blank key is refused');
select throws_ok(format($$select public.cancel_workflow(%L, '', idempotency_key => 'cancel-1')$$, :'eid'),
  '22023', null, 'a reason is still required with a key');
select public.cancel_workflow(:'eid', 'Duplicate of the renewal', idempotency_key => 'cancel-1') as first \gset
select is(public.cancel_workflow(:'eid', 'Duplicate of the renewal', idempotency_key => 'cancel-1'), :'first'::jsonb,
  'the same cancel again answers what the first answered');
select is(:'first'::jsonb ->> 'status', 'cancelled', 'the workflow is cancelled');
select throws_ok(format($$select public.cancel_workflow(%L, 'Another reason', idempotency_key => 'cancel-1')$$, :'eid'),
  'PT409', 'this key was used for a different request', 'the key with another reason is refused');
select throws_ok(format($$select public.cancel_workflow(%L, 'Duplicate of the renewal', idempotency_key => 'cancel-1')$$, :'eid2'),
  'PT409', 'this key was used for a different request', 'the key on another workflow is refused');
select throws_ok(format($$select public.cancel_workflow(%L, 'Duplicate of the renewal')$$, :'eid'),
  'PT409', null, 'without a key a second cancel is refused, as before');
select tests.clear_authentication();
select is((select count(*)::int from app.workflow_executions x, jsonb_array_elements(x.metadata -> 'history') h
            where x.id = :'eid' and h ->> 'event' = 'cancelled'), 1, 'cancelled once');
select is((select count(*)::int from app.notifications n where n.user_id = :'csm' and n.data ->> 'execution_id' = :'eid'
            and n.data ->> 'event' = 'cancelled'), 1, 'its csm told once');
select is((select status from app.workflow_executions where id = :'eid2'), 'queued', 'the other workflow is as it was');
select * from finish();
rollback;
