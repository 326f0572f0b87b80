-- A decision sent again under the key of one whose answer was lost answers what the first
-- answered, the escalation decided once and the people told once, instead of PT409 "no open
-- escalation"; the key with another decision or on another workflow is PT409; without a key a
-- second decision is refused as before (migration 20261208100000).
begin;
select plan(10);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select * from tests.create_two_open_renewals(:'org', :'csm', :'today') \gset
select tests.authenticate_as('e_csm');
select public.start_workflow(:'eid') is not null as s \gset
select public.execute_action('escalate', :'eid', '{"reason": "Customer asks for 30% off"}') is not null as esc \gset
select public.execute_action('escalate', :'eid2', '{"reason": "Customer asks for 30% off"}') is not null as esc2 \gset

select tests.authenticate_as('e_manager');
select throws_ok(format($$select public.resolve_escalation(%L, 'return', 'x', %L, idempotency_key => 'decide-1')$$, :'eid', :'csm2'),
  '22023', 'assignee_id is only for the decision reassign', 'the decision is still checked with a key');
select public.resolve_escalation(:'eid', 'reassign', 'Casey covers', :'csm2', idempotency_key => 'decide-1') as first \gset
select is(public.resolve_escalation(:'eid', 'reassign', 'Casey covers', :'csm2', idempotency_key => 'decide-1'), :'first'::jsonb,
  'the same decision again answers what the first answered');
select is(:'first'::jsonb ->> 'assignee_id', :'csm2', 'the workflow went to the new assignee');
select throws_ok(format($$select public.resolve_escalation(%L, 'close', 'Casey covers', idempotency_key => 'decide-1')$$, :'eid'),
  'PT409', 'this key was used for a different request', 'the key with another decision is refused');
select throws_ok(format($$select public.resolve_escalation(%L, 'reassign', 'Casey covers', %L, idempotency_key => 'decide-1')$$, :'eid2', :'csm2'),
  'PT409', 'this key was used for a different request', 'the key on another workflow is refused');
select throws_ok(format($$select public.resolve_escalation(%L, 'reassign', 'Casey covers', %L)$$, :'eid', :'csm2'),
  'PT409', null, 'without a key a second decision is refused, as before');
select tests.clear_authentication();
select is((select string_agg(status, ',') from app.workflow_escalations where execution_id = :'eid'), 'reassigned',
  'one escalation, decided once');
select is((select count(*)::int from app.workflow_executions x, jsonb_array_elements(x.metadata -> 'history') h
            where x.id = :'eid' and h ->> 'event' = 'escalation_resolved'), 1, 'one decision in its history');
select is((select count(*)::int from app.notifications n where n.user_id = :'csm' and n.notification_type = 'escalation_resolved'
            and n.data ->> 'execution_id' = :'eid'), 1, 'its csm told once');
select is((select status from app.workflow_escalations where execution_id = :'eid2'), 'open', 'the other escalation is still open');
select * from finish();
rollback;
