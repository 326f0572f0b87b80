-- An idempotency key names one decision: the same person deciding another proposal with a
-- key they used already is refused (PT409) and nothing runs; the first decision still
-- replays with it; another person's key of the same text is theirs.
begin;
select plan(6);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
update app.workflow_executions set status = 'in_progress' where id = :'eid';
insert into app.action_proposals (org_id, execution_id, action_key, params, rationale, source, source_ref, proposed_for)
values (:'org', :'eid', 'create_task', jsonb_build_object('title', 'Call the signer', 'due_date', (:'today'::date + 2)::text), 'They asked for a call', 'agent', 'test-agent', :'csm')
returning id as first \gset
insert into app.action_proposals (org_id, execution_id, action_key, params, rationale, source, source_ref, proposed_for)
values (:'org', :'eid', 'create_task', jsonb_build_object('title', 'Send the quote', 'due_date', (:'today'::date + 2)::text), 'The quote is due', 'agent', 'test-agent', :'csm')
returning id as second \gset
insert into app.action_proposals (org_id, execution_id, action_key, params, rationale, source, source_ref, proposed_for)
values (:'org', :'eid', 'create_task', jsonb_build_object('title', 'Book the review', 'due_date', (:'today'::date + 2)::text), 'The review is due', 'agent', 'test-agent', :'csm')
returning id as third \gset

select tests.authenticate_as('e_csm');
select public.decide_proposal(:'first', true, null, 'dk-1') is not null as decided \gset
select throws_ok(format('select public.decide_proposal(%L, true, null, %L)', :'second', 'dk-1'),
  'PT409', 'this key was used for a different request', 'the same key on another proposal is another request');
select is((select status from app.action_proposals where id = :'second'), 'proposed', 'that proposal is still waiting');
select is((select count(*)::int from app.workflow_tasks where execution_id = :'eid' and title = 'Send the quote'), 0, 'and its action did not run');
select is((public.decide_proposal(:'first', true, null, 'dk-1') ->> 'replayed')::boolean, true, 'the first decision still replays with it');

select tests.authenticate_as('e_manager');
select is(public.decide_proposal(:'third', true, null, 'dk-1') -> 'proposal' ->> 'status', 'approved', 'another person''s key of the same text is theirs');
select is((select count(*)::int from app.workflow_tasks where execution_id = :'eid'), 2, 'two decisions ran, once each');
select * from finish();
rollback;
