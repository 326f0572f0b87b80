-- A completion sent again under the key of one whose answer was lost answers what the first
-- answered (the steps it skipped then included), the steps skipped and the workflow closed
-- once, instead of PT409 "it is skipped"; the key on another workflow or with another reason
-- is PT409; without a key a second completion is refused as before (migration 20261208100000).
begin;
select plan(9);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select * from tests.create_two_open_renewals(:'org', :'csm', :'today') \gset

select tests.authenticate_as('e_csm');
select public.start_workflow(:'eid') is not null as s1 \gset
select public.start_workflow(:'eid2') is not null as s2 \gset
select throws_ok(format($$select public.complete_workflow(%L, idempotency_key => repeat('k', 201))$$, :'eid'),
  '22023', null, 'a key of more than 200 characters is refused');
select throws_ok(format($$select public.complete_workflow(%L, outcome => '[]', idempotency_key => 'done-1')$$, :'eid'),
  '22023', null, 'the outcome is still checked with a key');
select public.complete_workflow(:'eid', skip_remaining => true, reason => 'Signed on the call', idempotency_key => 'done-1') as first \gset
select tests.clear_authentication();
select jsonb_array_length(metadata -> 'history') as entries from app.workflow_executions where id = :'eid' \gset
select tests.authenticate_as('e_csm');
select is(public.complete_workflow(:'eid', skip_remaining => true, reason => 'Signed on the call', idempotency_key => 'done-1'),
  :'first'::jsonb, 'the same completion again answers what the first answered');
select ok(jsonb_array_length(:'first'::jsonb -> 'skipped_now') > 0, 'with the steps it skipped');
select throws_ok(format($$select public.complete_workflow(%L, skip_remaining => true, reason => 'Other', idempotency_key => 'done-1')$$, :'eid'),
  'PT409', 'this key was used for a different request', 'the key with another reason is refused');
select throws_ok(format($$select public.complete_workflow(%L, skip_remaining => true, reason => 'Signed on the call', idempotency_key => 'done-1')$$, :'eid2'),
  'PT409', 'this key was used for a different request', 'the key on another workflow is refused');
select throws_ok(format($$select public.complete_workflow(%L, skip_remaining => true, reason => 'Signed on the call')$$, :'eid'),
  'PT409', null, 'without a key a second completion is refused, as before');
select tests.clear_authentication();
select is((select jsonb_array_length(metadata -> 'history') from app.workflow_executions where id = :'eid'), :'entries'::int,
  'nothing more in its history');
select is((select status from app.workflow_executions where id = :'eid2'), 'in_progress', 'the other workflow is as it was');
select * from finish();
rollback;
