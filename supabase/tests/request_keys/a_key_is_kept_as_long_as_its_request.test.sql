-- The same idempotency key never applies twice, however late the retry (docs/api-contract.md
-- "Errors", migration 20261215400000). Before, the lifecycle calls' answers
-- (app.answered_requests) and which call took each key (app.request_keys) were forgotten
-- after a week by a daily pg_cron job, and a key kept on a row that a later request
-- overwrote (a workflow's start and reassign keys) was forgotten at once: a retry then
-- applied again (a workflow woken or reassigned twice, a start's key running an action).
begin;
select plan(10);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select * from tests.create_two_open_renewals(:'org', :'csm', :'today') \gset

-- Nothing forgets a key: no function deletes from the stores of answers and claims.
select is(
  (select coalesce(array_agg(p.oid::regprocedure::text order by 1), '{}')
     from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname in ('app', 'public')
      and p.prosrc ~* 'delete\s+from\s+app\.(answered_requests|request_keys)\M'),
  '{}'::text[], 'no function forgets the answers under keys or which call took a key');

select tests.authenticate_as('e_csm');
select public.execute_action('snooze', :'eid', '{"days": 3, "reason": "Waiting on the customer"}', 'snooze-key') as snoozed \gset
select public.wake_workflow(:'eid', idempotency_key => 'wake-key') as woken \gset
select tests.clear_authentication();

-- A year goes by, with every daily job run (whatever they are).
update app.answered_requests set created_at = created_at - interval '1 year' where made_by = :'csm';
update app.request_keys set created_at = created_at - interval '1 year' where made_by = :'csm';
update app.action_executions set created_at = created_at - interval '1 year' where executed_by = :'csm';
do $$
declare
  j record;
begin
  for j in select command from cron.job where schedule ~ '^\d+ \d+ \* \* \*$' loop
    execute j.command;
  end loop;
end;
$$;

select tests.authenticate_as('e_csm');
select public.execute_action('snooze', :'eid', '{"days": 3, "reason": "Waiting on the customer"}', 'snooze-key') as snoozed_again \gset
select is((:'snoozed_again'::jsonb ->> 'replayed')::boolean, true, 'a year on, the same action is replayed');
select is((select status from app.workflow_executions where id = :'eid'), 'queued', 'and the workflow stays woken');
-- Snoozed again since, by a new request: the old Wake sent again answers what it answered.
select public.execute_action('snooze', :'eid', '{"days": 5, "reason": "Back from holiday on Monday"}', 'snooze-key-2') as resnoozed \gset
select is(public.wake_workflow(:'eid', idempotency_key => 'wake-key'), :'woken'::jsonb,
  'a year on, the same wake answers what it answered');
select is((select status from app.workflow_executions where id = :'eid'), 'snoozed', 'and wakes nothing again');
select throws_ok(format($$select public.start_workflow(%L, idempotency_key => 'snooze-key')$$, :'eid2'),
  'PT409', null, 'an action''s key a year old still starts no workflow');
select is((select status from app.workflow_executions where id = :'eid2'), 'queued', 'which stays queued');

-- A key kept on a row a later request overwrites is kept too.
select tests.authenticate_as('e_manager');
select public.reassign_workflow(:'eid', :'csm2', 'Casey covers Contoso', 'reassign-1') as first_reassign \gset
select public.reassign_workflow(:'eid', :'csm', 'Sam is back', 'reassign-2') as second_reassign \gset
select throws_ok(format($$select public.reassign_workflow(%L, %L, 'Casey covers Contoso', 'reassign-1')$$, :'eid', :'csm2'),
  'PT409', null, 'the first reassignment''s key, sent again after a second, is not applied again');
select is((select assigned_to from app.workflow_executions where id = :'eid'), :'csm'::uuid, 'the workflow stays with Sam');
select is((select count(*)::int from app.workflow_executions e, jsonb_array_elements(e.metadata -> 'history') h
            where e.id = :'eid' and h ->> 'event' = 'reassigned'), 2, 'reassigned twice, not three times');
select * from finish();
rollback;
