-- A wake sent again under the key of one whose answer was lost answers what the first
-- answered, the workflow woken once and its CSM told once, instead of PT409 "it is not
-- snoozed"; the key on another workflow is PT409; without a key a second wake is refused as
-- before (migration 20261208100000).
begin;
select plan(8);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select * from tests.create_two_open_renewals(:'org', :'csm', :'today') \gset
select tests.authenticate_as('e_csm');
select public.execute_action('snooze', :'eid', '{"reason": "Customer on holiday", "days": 5}') is not null as sn \gset
select public.execute_action('snooze', :'eid2', '{"reason": "Customer on holiday", "days": 5}') is not null as sn2 \gset

select tests.authenticate_as('e_manager');
select throws_ok(format($$select public.wake_workflow(%L, idempotency_key => E'\t')$$, :'eid'),
  '22023', null, 'a blank key is refused');
select public.wake_workflow(:'eid', idempotency_key => 'wake-1') as first \gset
select is(public.wake_workflow(:'eid', idempotency_key => 'wake-1'), :'first'::jsonb,
  'the same wake again answers what the first answered');
select is(:'first'::jsonb ->> 'status', 'queued', 'the workflow is back in the queue');
select throws_ok(format($$select public.wake_workflow(%L, idempotency_key => 'wake-1')$$, :'eid2'),
  'PT409', 'this key was used for a different request', 'the key on another workflow is refused');
select throws_ok(format($$select public.wake_workflow(%L)$$, :'eid'),
  'PT409', null, 'without a key a second wake is refused, as before');
select tests.clear_authentication();
select is((select count(*)::int from app.workflow_executions x, jsonb_array_elements(x.metadata -> 'history') h
            where x.id = :'eid' and h ->> 'event' = 'woken'), 1, 'woken once');
select is((select count(*)::int from app.notifications n where n.user_id = :'csm' and n.notification_type = 'workflow_woken'
            and n.data ->> 'execution_id' = :'eid'), 1, 'its csm told once');
select is((select status from app.workflow_executions where id = :'eid2'), 'snoozed', 'the other workflow still sleeps');
select * from finish();
rollback;
