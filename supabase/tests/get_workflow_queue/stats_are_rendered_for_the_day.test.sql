-- The unfiltered stats JSON is rendered by the trigger that keeps the counts, for the
-- organisation's today; a read uses it only when it was rendered for today (the stage
-- counts move with the day), and the job renders rows left from an earlier day.
begin;
select plan(11);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset

insert into app.customers (org_id, name, domain, arr, health_score, renewal_date, risk_score, assigned_to)
select :'org', 'Acme ' || g, 'acme' || g || '.example', 50000 * g, 40 + g * 5, :'today'::date + (g * 37 - 20), 30 + g * 6, :'csm'::uuid
  from generate_series(1, 6) g;
select app.run_orchestrator_for_org(:'org') is not null as ran \gset

select is((select count(*) from app.queue_stats where assigned_to = :'csm' and rendered_for = app.organisation_today(:'org')),
          2::bigint, 'a change renders both of the person''s rows (with and without snoozed) for today');

-- What a read returns is the rendered JSON, equal to a fresh aggregate (the filtered path).
select rendered as rendered_stats from app.queue_stats where assigned_to = :'csm' and not include_snoozed \gset
select tests.authenticate_as('e_csm');
select is(public.get_workflow_queue(1)::jsonb -> 'stats', :'rendered_stats'::jsonb,
          'an unfiltered read returns the rendered stats');
select is(public.get_workflow_queue(1)::jsonb -> 'stats',
          public.get_workflow_queue(1, filters => '{"lanes": ["now", "soon", "planned"]}')::jsonb -> 'stats',
          'which equal a fresh aggregate');
select tests.clear_authentication();

-- A row rendered for today is read as it is (a marker stands in for it here).
update app.queue_stats set rendered = '{"total": -7}' where assigned_to = :'csm' and not include_snoozed;
select tests.authenticate_as('e_csm');
select is(public.get_workflow_queue(1)::jsonb -> 'stats', '{"total": -7}'::jsonb, 'a row rendered for today is read, not recomputed');
select tests.clear_authentication();

-- A row rendered for an earlier day is not read: the stats are computed as of today.
update app.queue_stats set rendered = '{"total": -1}', rendered_for = app.organisation_today(:'org') - 1
 where assigned_to = :'csm';
select tests.authenticate_as('e_csm');
select is((public.get_workflow_queue(1)::jsonb -> 'stats' ->> 'total')::integer,
          (select count(*)::integer from app.workflow_executions
            where assigned_to = :'csm' and status in ('queued', 'in_progress', 'escalated')),
          'a row rendered on an earlier day is computed afresh');
select tests.clear_authentication();

select cmp_ok(app.queue_stats_render_stale(), '>=', 1, 'the job renders the stale rows');
select is((select count(*) from app.queue_stats where assigned_to = :'csm' and rendered_for = app.organisation_today(:'org')
             and (rendered ->> 'total')::integer >= 0), 2::bigint, 'for today');
select is((select count(*) from cron.job where jobname = 'render-queue-stats' and schedule = '* * * * *'), 1::bigint,
          'and runs every minute');

-- A statement touching more people than renubu.queue_stats_inline_max (50 unless set; 0
-- here) marks their rows stale: reads compute the stats, the job renders them.
set local renubu.queue_stats_inline_max = 0;
update app.workflow_executions set priority_score = priority_score + 1
 where assigned_to = :'csm' and status in ('queued', 'in_progress', 'escalated');
select is((select count(*) from app.queue_stats where assigned_to = :'csm' and rendered_for is null), 2::bigint,
          'a large statement leaves the person''s rows to the job');
select tests.authenticate_as('e_csm');
select is(public.get_workflow_queue(1)::jsonb -> 'stats',
          public.get_workflow_queue(1, filters => '{"lanes": ["now", "soon", "planned"]}')::jsonb -> 'stats',
          'meanwhile a read computes them');
select tests.clear_authentication();
select app.queue_stats_render_stale() is not null as rendered \gset
select is((select count(*) from app.queue_stats where assigned_to = :'csm' and rendered_for = app.organisation_today(:'org')),
          2::bigint, 'and the job renders them');

select * from finish();
rollback;
