-- A customer's open work follows its new CSM only when that person can take work
-- (migration 20261205225000). An ingested customer.upserted naming a viewer or a
-- deactivated person as the CSM is applied (the customer keeps the CRM's owner) but the
-- open workflows go unassigned, never to them; naming someone who can take work later
-- moves the unassigned work to them. Any other write of a customer's CSM follows the same
-- rule, and a workflow's own assignee never lands on such a person: a person is refused
-- (22023), a job leaves it unassigned.
begin;
select plan(16);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, external_id, name, arr, health_score, risk_score, renewal_date, assigned_to)
values (:'org', 'seed-acme-05', 'Litware Security', 120000, 45, 70, :'today'::date + 10, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select count(*)::int as open_work from app.workflow_executions
 where customer_id = :'cust' and status in ('queued', 'in_progress', 'snoozed', 'escalated') and assigned_to = :'csm' \gset
select cmp_ok(:open_work, '>=', 2, 'the CSM holds the customer''s open work, a renewal among it');

-- The CRM names a viewer as the CSM.
select tests.authenticate_as_service_role();
select public.ingest_apply_batch(:'org', 'to-viewer', jsonb_build_array(jsonb_build_object(
  'type', 'customer.upserted', 'data', jsonb_build_object('external_id', 'seed-acme-05', 'csm_email', 'e_viewer@test.renubu.dev'))))
  ->> 'replayed' as r1 \gset
select tests.clear_authentication();
select is((select assigned_to from app.customers where id = :'cust'), :'viewer'::uuid, 'the customer keeps the owner the CRM names');
select is((select count(*)::int from app.workflow_executions where customer_id = :'cust' and assigned_to = :'viewer'), 0,
  'no workflow moved to the viewer');
select is((select count(*)::int from app.workflow_executions
            where customer_id = :'cust' and status in ('queued', 'in_progress', 'snoozed', 'escalated') and assigned_to is null),
  :open_work, 'the open work went unassigned, for a manager to hand out');
select is((select count(*)::int from app.notifications where user_id = :'viewer' and notification_type = 'workflow_assigned'), 0,
  'and the viewer was told of no assignment');

-- Later the CRM names someone who can take work: the unassigned work moves to them.
select tests.authenticate_as_service_role();
select public.ingest_apply_batch(:'org', 'to-csm2', jsonb_build_array(jsonb_build_object(
  'type', 'customer.upserted', 'data', jsonb_build_object('external_id', 'seed-acme-05', 'csm_email', 'e_csm2@test.renubu.dev'))))
  ->> 'replayed' as r2 \gset
select tests.clear_authentication();
select is((select count(*)::int from app.workflow_executions
            where customer_id = :'cust' and status in ('queued', 'in_progress', 'snoozed', 'escalated') and assigned_to = :'csm2'),
  :open_work, 'an active CSM named later takes the open work');

-- A deactivated person named by the CRM gets none of it either.
update app.profiles set deactivated_at = now() where id = :'manager';
select tests.authenticate_as_service_role();
select public.ingest_apply_batch(:'org', 'to-leaver', jsonb_build_array(jsonb_build_object(
  'type', 'customer.upserted', 'data', jsonb_build_object('external_id', 'seed-acme-05', 'csm_email', 'e_manager@test.renubu.dev'))))
  ->> 'replayed' as r3 \gset
select tests.clear_authentication();
select is((select assigned_to from app.customers where id = :'cust'), :'manager'::uuid, 'the customer records the CRM''s owner');
select is((select count(*)::int from app.workflow_executions where customer_id = :'cust' and assigned_to = :'manager'), 0,
  'no workflow moved to the deactivated person');
select is((select count(*)::int from app.workflow_executions
            where customer_id = :'cust' and status in ('queued', 'in_progress', 'snoozed', 'escalated') and assigned_to is null),
  :open_work, 'it went unassigned');
update app.profiles set deactivated_at = null where id = :'manager';

-- Any other write of customers follows the same rule: a bulk update by a job.
update app.customers set assigned_to = :'csm' where id = :'cust';
update app.customers set assigned_to = :'viewer' where org_id = :'org';
select is((select count(*)::int from app.workflow_executions e join app.profiles p on p.id = e.assigned_to
            where e.org_id = :'org' and p.role = 'viewer'), 0, 'a bulk update of customers hands no work to a viewer');

-- The workflows' own backstop: a job moving one to a viewer leaves it unassigned ...
update app.customers set assigned_to = :'csm' where id = :'cust';
select id as eid from app.workflow_executions
 where customer_id = :'cust' and status in ('queued', 'in_progress', 'snoozed', 'escalated') and assigned_to = :'csm' limit 1 \gset
update app.workflow_executions set assigned_to = :'viewer' where id = :'eid';
select is((select assigned_to from app.workflow_executions where id = :'eid'), null, 'a job moving a workflow to a viewer leaves it unassigned');
-- ... and a person is refused.
update app.workflow_executions set assigned_to = :'csm' where id = :'eid';
select tests.authenticate_as('e_admin');
select throws_ok(format('update app.workflow_executions set assigned_to = %L where id = %L', :'viewer', :'eid'),
  '22023', 'assignee_id is a viewer, who cannot take work', 'a person cannot hand an open workflow to a viewer');
select throws_ok(format('select public.reassign_workflow(%L, %L, %L)', :'eid', :'viewer', 'cover'),
  '22023', null, 'nor through reassign_workflow');
select tests.clear_authentication();
select is((select assigned_to from app.workflow_executions where id = :'eid'), :'csm'::uuid, 'the workflow stays with its CSM');

-- Someone of another organisation is a wrong reference, refused by the key (not dropped).
select is(tests.violation(format('update app.workflow_executions set assigned_to = %L where id = %L', :'other_csm', :'eid')),
  '23503 workflow_executions_assignee_is_in_organisation', 'a job naming someone of another organisation is refused by the key');

-- A CSM made a viewer hands their open work back to the team.
select count(*)::int as csms_open from app.workflow_executions
 where assigned_to = :'csm' and status in ('queued', 'in_progress', 'snoozed', 'escalated') \gset
select tests.authenticate_as('e_admin');
select public.update_person(:'csm', '{"role": "viewer"}') is not null as demoted \gset
select tests.clear_authentication();
select ok(:csms_open > 0 and (select count(*) from app.workflow_executions
            where assigned_to = :'csm' and status in ('queued', 'in_progress', 'snoozed', 'escalated')) = 0,
  'a CSM made a viewer keeps no open workflow');

select * from finish();
rollback;
