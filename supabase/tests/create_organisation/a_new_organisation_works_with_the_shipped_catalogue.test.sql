-- First run without the demo data: an organisation made by create_organisation has the
-- whole shipped catalogue (nothing copied per organisation), its admin sees the six saved
-- actions and an empty queue, and once it has customers the orchestrator opens the core
-- workflows for them. Runs on a database with the migrations only, as `db push` leaves it.
begin;
select plan(6);
set client_min_messages = warning;

select tests.create_supabase_user('first_admin', 'first.admin@newteam.test');
select tests.authenticate_as_service_role();
select (public.create_organisation('New Team', tests.get_supabase_uid('first_admin'), 'First Admin',
        'first.admin@newteam.test', 'new-team-fixture') ->> 'organisation_id') as org \gset
select tests.clear_authentication();
select app.organisation_today(:'org') as today \gset

select tests.authenticate_as('first_admin');
select is(
  (select array_agg(a ->> 'key' order by a ->> 'key') from jsonb_array_elements(to_jsonb(public.list_saved_actions())) a),
  array['create_task', 'escalate', 'schedule_meeting', 'send_email', 'skip', 'snooze'],
  'the admin sees the six core saved actions'
);
select is(jsonb_array_length(public.get_workflow_queue()::jsonb -> 'items'), 0, 'and an empty queue');
select is((public.run_orchestrator() ->> 'created')::int, 0, 'the orchestrator opens nothing without customers');
select tests.clear_authentication();

-- Customers arrive (ingest or an import): one renewal overdue, one at risk.
insert into app.customers (org_id, name, arr, health_score, renewal_date)
values (:'org', 'Overdue Ltd', 90000, 70, :'today'::date - 5),
       (:'org', 'Quiet Ltd', 40000, 70, :'today'::date + 300);

select tests.authenticate_as('first_admin');
select cmp_ok((public.run_orchestrator() ->> 'created')::int, '>=', 1, 'with customers it opens workflows');
select tests.clear_authentication();
select is(
  (select w.key from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
     join app.customers c on c.id = e.customer_id
    where c.name = 'Overdue Ltd' and e.status in ('queued', 'in_progress') and w.workflow_type = 'renewal'),
  'overdue', 'the overdue customer gets the shipped Overdue workflow'
);
select is(
  (select count(*)::int from app.workflows w where w.org_id = :'org'), 0,
  'the catalogue is shared product data, not copied into the organisation'
);

select * from finish();
rollback;
