-- A reason or a note given to change a workflow (cancel_workflow, complete_workflow's skipped
-- steps, reassign_workflow(s), reassign_customer, hand_over_work, withdraw_escalation,
-- resolve_escalation) holds no text-direction override, as every text people write at length
-- does (docs/business-rules.md "Displayable text"): the one helper they all read it with,
-- app.required_text, asks the rule since migration 20261215640000. Before, a cancel's reason
-- was kept as sent in the workflow's outcome and history ('Not needed<U+202E>gnp.exe'); a
-- reassignment's was refused only when a notification happened to carry it. Line breaks, tabs
-- and Hebrew stay. Refused with 22023 naming the argument, nothing changed.
begin;
select plan(6);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select * from tests.create_two_open_renewals(:'org', :'csm', :'today') \gset

select tests.authenticate_as('e_csm');
select throws_ok(format($$select public.cancel_workflow(%L, E'Not needed\u202Egnp.exe')$$, :'eid'),
  '22023', 'reason must not contain control characters or text-direction overrides',
  'a cancel whose reason holds a right-to-left override is refused');
select is((select status from app.workflow_executions where id = :'eid'), 'queued', 'and the workflow is not cancelled');
select tests.authenticate_as('e_manager');
select throws_ok(format($$select public.reassign_workflow(%L, %L, E'Casey\u2066 takes it')$$, :'eid2', :'csm2'),
  '22023', 'reason must not contain control characters or text-direction overrides',
  'a reassignment''s reason with an isolate is refused');
select is((select assigned_to from app.workflow_executions where id = :'eid2'), :'csm'::uuid, 'and the workflow stays with its CSM');
select lives_ok(format($$select public.reassign_workflow(%L, %L, E'הלקוח ביקש\nCasey knows them')$$, :'eid2', :'csm2'),
  'a Hebrew reason over two lines is taken');
select tests.authenticate_as('e_csm');
select lives_ok(format($$select public.cancel_workflow(%L, E'Duplicate\tof the renewal')$$, :'eid'), 'a reason with a tab is taken');
select * from finish();
rollback;
