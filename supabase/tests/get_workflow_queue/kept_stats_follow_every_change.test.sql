-- The unfiltered queue's stats are kept by triggers (app.queue_stats …); after every kind
-- of change they equal a fresh aggregate of the same queue (what a filtered call computes,
-- here with a filter that keeps everything) for both CSMs, with and without snoozed items.
begin;
select plan(47);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset

-- Insert: the orchestrator's bulk INSERT … SELECT.
insert into app.customers (org_id, name, domain, arr, health_score, renewal_date, risk_score, assigned_to)
select :'org', 'Acme ' || g, 'acme' || g || '.example', 50000 * g, 40 + g * 5, :'today'::date + (g * 37 - 20), 30 + g * 6,
       case when g % 3 = 0 then :'csm2'::uuid else :'csm'::uuid end
  from generate_series(1, 9) g;
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select ok((select count(*) from app.workflow_executions where org_id = :'org' and status = 'queued') >= 9, 'the orchestrator opened work');
select * from tests.kept_queue_stats_are_fresh('after the orchestrator''s insert', 'e_manager', array['e_csm', 'e_csm2']);
select is((select items from app.queue_stats where assigned_to = :'csm' and include_snoozed),
          (select count(*)::integer from app.workflow_executions
            where assigned_to = :'csm' and status in ('queued', 'in_progress', 'snoozed', 'escalated')),
          'the kept row counts every open item');

-- Insert: one row written without its copies (priority, lane, search text, type rank).
select c.id as cust1 from app.customers c where c.org_id = :'org' and c.name = 'Acme 1' \gset
insert into app.workflow_executions (org_id, customer_id, workflow_id, workflow_version_id, assigned_to, status)
select :'org', :'cust1', w.id, v.id, :'csm', 'queued'
  from app.workflows w join app.workflow_versions v on v.workflow_id = w.id
 where (w.org_id is null or w.org_id = :'org')
   and not exists (select 1 from app.workflow_executions x where x.customer_id = :'cust1' and x.workflow_id = w.id)
 order by w.key, v.id limit 1
returning id as manual \gset
select isnt((select customer_search from app.workflow_executions where id = :'manual'), null, 'the copies were filled in');
select * from tests.kept_queue_stats_are_fresh('after a single insert', 'e_manager', array['e_csm', 'e_csm2']);

-- Status change: started, then completed.
select id as one from app.workflow_executions
 where assigned_to = :'csm' and status = 'queued' and id <> :'manual' order by id limit 1 \gset
update app.workflow_executions set status = 'in_progress', started_at = now() where id = :'one';
select * from tests.kept_queue_stats_are_fresh('after a start', 'e_manager', array['e_csm', 'e_csm2']);
update app.workflow_executions set status = 'completed', completed_at = now() where id = :'one';
select * from tests.kept_queue_stats_are_fresh('after a completion', 'e_manager', array['e_csm', 'e_csm2']);

-- Snooze and wake.
select id as two from app.workflow_executions
 where assigned_to = :'csm' and status = 'queued' order by id desc limit 1 \gset
update app.workflow_executions set status = 'snoozed', snoozed_until = now() + interval '2 days' where id = :'two';
select * from tests.kept_queue_stats_are_fresh('after a snooze', 'e_manager', array['e_csm', 'e_csm2']);
update app.workflow_executions set status = 'queued', snoozed_until = null where id = :'two';
select * from tests.kept_queue_stats_are_fresh('after a wake', 'e_manager', array['e_csm', 'e_csm2']);

-- Reassign: the customer moves to the other CSM, and so its open work.
update app.customers set assigned_to = :'csm2' where id = :'cust1';
select * from tests.kept_queue_stats_are_fresh('after a reassignment', 'e_manager', array['e_csm', 'e_csm2']);

-- Priority and stage change: new ARR, health and renewal date.
update app.customers set arr = 900000, health_score = 20, renewal_date = :'today'::date + 2
 where org_id = :'org' and name in ('Acme 2', 'Acme 4');
select * from tests.kept_queue_stats_are_fresh('after a priority and stage change', 'e_manager', array['e_csm', 'e_csm2']);

-- Delete.
delete from app.workflow_executions where id = :'manual';
select * from tests.kept_queue_stats_are_fresh('after a delete', 'e_manager', array['e_csm', 'e_csm2']);

-- Customer rename: the stats stay right and the search finds the new name at once.
select c.id as cust2 from app.customers c where c.org_id = :'org' and c.name = 'Acme 2' \gset
update app.customers set name = 'Zenith Works' where id = :'cust2';
select * from tests.kept_queue_stats_are_fresh('after a rename', 'e_manager', array['e_csm', 'e_csm2']);
select tests.authenticate_as('e_csm');
select is((public.get_workflow_queue(50, filters => '{"search": "zenith"}')::jsonb -> 'stats' ->> 'total')::integer,
          (select count(*)::integer from app.workflow_executions
            where customer_id = :'cust2' and assigned_to = :'csm' and status in ('queued', 'in_progress', 'escalated')),
          'the search finds the customer by its new name');
select is(jsonb_array_length(public.get_workflow_queue(50, filters => '{"search": "acme 2"}')::jsonb -> 'items'), 0,
          'and no longer by its old one');
-- The kept stats are read only through get_workflow_queue's checks or their own.
select throws_ok(format('select app.queue_kept_stats(%L, %L, false, current_date)', :'org', :'csm2'), '42501',
                 null, 'a CSM cannot read another CSM''s kept stats');
select throws_ok(format('select app.queue_kept_stats(%L, %L, false, current_date)', :'other_org', :'other_csm'), '42501',
                 null, 'nor another organisation''s');
select tests.clear_authentication();

select * from finish();
rollback;
