-- The orchestrator's daily run respects the escalation hold (docs/escalation-loop.md): an
-- escalated renewal whose stage moves on is not superseded and no successor opens beside
-- it; once the manager decides, the next run moves the renewal on as usual. Before
-- (migration 20261206320000), the run superseded it: the escalation stayed open in the
-- manager's inbox on a workflow that was no longer escalated, and neither the manager
-- (resolve_escalation) nor the CSM (withdraw_escalation) could ever end it (PT409 "it is not
-- escalated"), while the successor opened free of the hold.
begin;
select plan(12);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Fabrikam', 90000, 70, :'today'::date + 3, :'csm') returning id as gone \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select e.id as gone_eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'gone' and w.key = 'emergency' \gset
select tests.authenticate_as('e_csm');
select public.start_workflow(:'eid') is not null as started \gset
select public.execute_action('escalate', :'eid', '{"reason": "Procurement wants a discount"}') is not null as esc \gset
select public.execute_action('escalate', :'gone_eid', '{"reason": "They may leave"}') is not null as esc2 \gset
select tests.clear_authentication();

-- Four days later the renewal is overdue (its stage moves on); another's renewal date is gone.
update app.customers set renewal_date = null where id = :'gone';
select app.run_orchestrator_for_org(:'org', :'today'::date + 4) as r \gset
select is((select status from app.workflow_executions where id = :'eid'), 'escalated', 'the escalated renewal is not superseded');
select is((select count(*)::int from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
            where e.customer_id = :'cust' and w.workflow_type = 'renewal'
              and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')), 1,
          'and no successor renewal opens beside it');
select is((select status from app.workflow_executions where id = :'gone_eid'), 'escalated',
          'nor is one whose customer lost its renewal date');
select is((select count(*)::int from app.workflow_escalations where execution_id in (:'eid', :'gone_eid') and status = 'open'), 2,
          'both escalations wait for the manager');

-- The manager decides; the next run then moves the renewal on.
select tests.authenticate_as('e_manager');
select lives_ok(format('select public.resolve_escalation(%L, %L, %L)', :'eid', 'return', 'Offer 5 % for two years'),
  'the manager returns it with guidance');
select lives_ok(format('select public.resolve_escalation(%L, %L, %L)', :'gone_eid', 'close', 'The customer has no renewal any more'),
  'and closes the other');
select tests.clear_authentication();
select is((select status from app.workflow_escalations where execution_id = :'eid'), 'returned', 'the escalation is returned');
select app.run_orchestrator_for_org(:'org', :'today'::date + 4) as r2 \gset
select is((select status from app.workflow_executions where id = :'eid'), 'superseded', 'the next run supersedes the old stage');
select is((select w.key from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
            where e.id = (select superseded_by from app.workflow_executions where id = :'eid')), 'overdue',
          'and opens the Overdue renewal');
select is((select count(*)::int from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
            where e.customer_id = :'cust' and w.workflow_type = 'renewal'
              and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')), 1,
          'one renewal is open for the customer');
select is((select status from app.workflow_executions where id = :'gone_eid'), 'cancelled', 'the closed one stays closed');
select is((select count(*)::int from app.workflow_escalations e join app.workflow_executions x on x.id = e.execution_id
            where e.org_id = :'org' and e.status = 'open' and x.status <> 'escalated'), 0,
          'no open escalation is left on a workflow that is not escalated');

select * from finish();
rollback;
