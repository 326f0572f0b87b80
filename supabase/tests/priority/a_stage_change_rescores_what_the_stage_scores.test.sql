-- A change of a customer's stored stage alone (the orchestrator's restage, the hourly
-- restamp) re-scores the open renewals scored with another stage; the stage enters no other
-- execution's priority or lane, so those are left as they are. Either way, a full re-score
-- of every open execution of the customer afterwards finds nothing to change.
begin;
select plan(7);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, risk_score, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, 30, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as renewal from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.workflow_type = 'renewal'
   and e.status in ('queued', 'in_progress', 'snoozed', 'escalated') \gset
insert into app.workflow_executions (org_id, customer_id, workflow_id, workflow_version_id, assigned_to, status)
select :'org', :'cust', w.id, (select v.id from app.workflow_versions v where v.workflow_id = w.id order by v.version desc limit 1), :'csm', 'queued'
  from app.workflows w where w.key = 'risk-intervention' and w.org_id is null
returning id as risk \gset
select priority_score as renewal_before, priority_factors ->> 'renewal_stage' as stage_before
  from app.workflow_executions where id = :'renewal' \gset
select xmin::text as risk_version from app.workflow_executions where id = :'risk' \gset

-- Critical is not the stage the renewal was opened in (Emergency, 3 days out).
update app.customers set renewal_stage = 'Critical' where id = :'cust';

select is(:'stage_before'::text, 'Emergency', 'the renewal was scored as Emergency');
select is((select priority_factors ->> 'renewal_stage' from app.workflow_executions where id = :'renewal'), 'Critical',
          'a stage-only change re-scores the renewal with the new stage');
select isnt((select priority_score from app.workflow_executions where id = :'renewal'), :'renewal_before'::numeric,
            'and its score moves');
select is((select xmin::text from app.workflow_executions where id = :'risk'), :'risk_version'::text,
          'a risk execution of the same customer, which the stage does not score, is not rewritten');
select is(app.refresh_priorities_for_customers(array[:'cust'::uuid]), 0,
          'a full re-score of the customer''s open executions then changes nothing');

-- A stage-only change back to the stage a renewal was scored with leaves it as it is.
update app.workflow_executions set renewal_stage = 'Critical' where id = :'renewal';
select xmin::text as renewal_version from app.workflow_executions where id = :'renewal' \gset
update app.customers set renewal_stage = 'Critical', arr = arr where id = :'cust';
select is((select xmin::text from app.workflow_executions where id = :'renewal'), :'renewal_version'::text,
          'an update that leaves the stage as scored rewrites nothing');
update app.customers set renewal_stage = 'Emergency' where id = :'cust';
select is(app.refresh_priorities_for_customers(array[:'cust'::uuid]), 0,
          'and after a change back to Emergency everything is current again');

select * from finish();
rollback;
