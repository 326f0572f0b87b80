-- Ingested changes flow into what the CSM sees: a new ARR and health re-derive the account
-- plan, a new renewal date the stage, and the open execution's priority is re-scored.
begin;
select plan(4);
select tests.create_rls_world();

-- An open renewal execution for customer 'a' (ARR 120 000, health 70, Signature stage).
insert into app.workflow_executions (org_id, customer_id, workflow_id, workflow_version_id, assigned_to, status, renewal_stage)
select c.org_id, c.id, w.id, v.id, c.assigned_to, 'queued', 'Signature'
  from app.customers c
  join app.workflows w on w.key = 'signature' and w.org_id is null
  join app.workflow_versions v on v.workflow_id = w.id and v.version = w.current_version
 where c.id = tests.row_id('customers', 'a');
create temporary table before_ on commit drop as
  select e.priority_score from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
   where e.customer_id = tests.row_id('customers', 'a') and w.key = 'signature';

select tests.authenticate_as_service_role();
select public.ingest_apply_batch(tests.org_id('Org A'), 'derive-1', '[
  {"type": "arr.changed", "data": {"customer_external_id": "A-1", "arr": 200000, "recorded_at": "2026-01-01T00:00:00Z"}},
  {"type": "customer.upserted", "data": {"external_id": "A-1", "health_score": 90, "renewal_date": "2099-01-01"}}
]'::jsonb);
select tests.clear_authentication();

select is((select account_plan from app.customers where external_id = 'A-1'), 'expand', 'ARR 200 000 and health 90: expand');
select is((select renewal_stage from app.customers where external_id = 'A-1'), 'Monitor', 'a far renewal date: Monitor');
select cmp_ok((select e.priority_score from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
                where e.customer_id = tests.row_id('customers', 'a') and w.key = 'signature'),
              '<>', (select priority_score from before_), 'the open execution was re-scored');
select is((select (e.priority_factors ->> 'arr_mult')::numeric from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
            where e.customer_id = tests.row_id('customers', 'a') and w.key = 'signature'),
          2.0, 'with the ARR multiplier of the new ARR');

select * from finish();
rollback;
