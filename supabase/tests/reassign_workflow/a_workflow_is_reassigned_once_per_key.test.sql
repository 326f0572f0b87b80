-- A reassignment sent again under the key of one whose answer was lost answers the workflow
-- as it is now, reassigned once and its previous assignee told once, instead of 22023 "already
-- the assignee"; the key for another person or on another workflow is PT409 (migration
-- 20261207706000).
begin;
select plan(7);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select * from tests.create_two_open_renewals(:'org', :'csm', :'today') \gset

select tests.authenticate_as('e_manager');
select public.reassign_workflow(:'eid', :'csm2', 'Sam is overloaded', idempotency_key => 'move-1') ->> 'assignee_id' as first \gset
select lives_ok(format($$select public.reassign_workflow(%L, %L, 'Sam is overloaded', idempotency_key => 'move-1')$$, :'eid', :'csm2'),
  'the same reassignment again is answered, not refused');
select is(public.reassign_workflow(:'eid', :'csm2', 'Sam is overloaded', idempotency_key => 'move-1') ->> 'assignee_id', :'csm2',
  'with the workflow, with its new assignee');
select is((select count(*)::int from app.workflow_executions x, jsonb_array_elements(x.metadata -> 'history') h
            where x.id = :'eid' and h ->> 'event' = 'reassigned'), 1, 'reassigned once');
select throws_ok(format($$select public.reassign_workflow(%L, %L, 'Back to Sam', idempotency_key => 'move-1')$$, :'eid', :'csm'),
  'PT409', 'this key was used for a different request', 'the key for another person is refused');
select throws_ok(format($$select public.reassign_workflow(%L, %L, 'Sam is overloaded', idempotency_key => 'move-1')$$, :'eid2', :'csm2'),
  'PT409', 'this key was used for a different request', 'the key on another workflow is refused');
select throws_ok(format($$select public.reassign_workflow(%L, %L, 'x', idempotency_key => '')$$, :'eid2', :'csm2'),
  '22023', null, 'a blank key is refused');
select tests.clear_authentication();
select is((select count(*)::int from app.notifications n
            where n.user_id = :'csm' and n.notification_type = 'workflow_assigned' and n.data ->> 'execution_id' = :'eid'), 1,
  'its previous assignee told once');
select * from finish();
rollback;
