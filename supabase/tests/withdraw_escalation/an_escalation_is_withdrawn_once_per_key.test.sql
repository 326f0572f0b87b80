-- A withdrawal sent again under the key of one whose answer was lost answers what the first
-- answered, the escalation withdrawn once and the manager told once, instead of PT409 "no
-- open escalation"; the key on another workflow or with another reason is PT409; without a
-- key a second withdrawal is refused as before (migration 20261208100000).
begin;
select plan(9);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select * from tests.create_two_open_renewals(:'org', :'csm', :'today') \gset
select tests.authenticate_as('e_csm');
select public.start_workflow(:'eid') is not null as s \gset
select public.execute_action('escalate', :'eid', '{"reason": "Champion left"}') is not null as esc \gset
select public.execute_action('escalate', :'eid2', '{"reason": "Champion left"}') is not null as esc2 \gset

select throws_ok(format($$select public.withdraw_escalation(%L, ' ', idempotency_key => 'back-1')$$, :'eid'),
  '22023', null, 'a reason is still required with a key');
select public.withdraw_escalation(:'eid', 'Found a new champion', idempotency_key => 'back-1') as first \gset
select is(public.withdraw_escalation(:'eid', 'Found a new champion', idempotency_key => 'back-1'), :'first'::jsonb,
  'the same withdrawal again answers what the first answered');
select is(:'first'::jsonb ->> 'status', 'in_progress', 'the workflow is back in progress');
select throws_ok(format($$select public.withdraw_escalation(%L, 'Another reason', idempotency_key => 'back-1')$$, :'eid'),
  'PT409', 'this key was used for a different request', 'the key with another reason is refused');
select throws_ok(format($$select public.withdraw_escalation(%L, 'Found a new champion', idempotency_key => 'back-1')$$, :'eid2'),
  'PT409', 'this key was used for a different request', 'the key on another workflow is refused');
select throws_ok(format($$select public.withdraw_escalation(%L, 'Found a new champion')$$, :'eid'),
  'PT409', null, 'without a key a second withdrawal is refused, as before');
select tests.clear_authentication();
select is((select string_agg(status, ',') from app.workflow_escalations where execution_id = :'eid'), 'withdrawn',
  'one escalation, withdrawn');
select is((select count(*)::int from app.notifications n where n.user_id = :'manager' and n.notification_type = 'escalation_resolved'
            and n.data ->> 'execution_id' = :'eid'), 1, 'the manager told once');
select is((select status from app.workflow_executions where id = :'eid2'), 'escalated', 'the other workflow still waits');
select * from finish();
rollback;
