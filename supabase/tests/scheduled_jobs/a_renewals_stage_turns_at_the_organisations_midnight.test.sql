-- A renewal's stored stage, and with it its workflow's lane, turns within a minute of its
-- organisation's midnight (migration 20261215400300): a pg_cron job every minute re-stamps
-- each organisation whose local day has turned since it last did. Before, the only re-stamp
-- was hourly (minute 5 of each UTC hour): for up to an hour after midnight (35 minutes in a
-- +05:30 time zone, nearly an hour where midnight falls just after minute 5) a renewal whose
-- decision date had entered the 13-day window read Critical but sat in the Soon lane.
begin;
select plan(7);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
update app.organisation_settings set time_zone = 'Asia/Kolkata' where org_id = :'org';
select app.organisation_today(:'org') as today \gset

select is((select j.schedule from cron.job j where j.jobname = 'restamp-stages-at-midnight'), '* * * * *',
  'a job runs every minute');

-- Contoso's decision is 13 days from today: Critical, lane now. Stamped as of yesterday (14
-- days: Signature, lane soon), as the hourly job left it before today's first run.
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 13, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select app.restamp_renewal_stages(:'today'::date - 1, :'org') as restamped \gset
select is((select renewal_stage from app.customers where id = :'cust'), 'Signature', 'yesterday''s stage is stored');
select is((select min(queue_lane)::int from app.workflow_executions where customer_id = :'cust' and status in ('queued', 'in_progress')), 2,
  'and its renewal is in the Soon lane');

do $$ begin execute coalesce((select j.command from cron.job j where j.jobname = 'restamp-stages-at-midnight'), 'select 1'); end $$;
select is((select renewal_stage from app.customers where id = :'cust'), 'Critical', 'the job stamps today''s stage');
select is((select min(queue_lane)::int from app.workflow_executions where customer_id = :'cust' and status in ('queued', 'in_progress')), 1,
  'and the renewal moves to the Now lane');

-- Once stamped for its day, an organisation is left alone until its next midnight.
select app.restamp_renewal_stages(:'today'::date - 1, :'org') as restamped_again \gset
do $$ begin execute coalesce((select j.command from cron.job j where j.jobname = 'restamp-stages-at-midnight'), 'select 1'); end $$;
select is((select renewal_stage from app.customers where id = :'cust'), 'Signature', 'a second run the same day re-stamps nothing');
select tests.authenticate_as('e_csm');
select throws_ok($$select app.restamp_stages_at_midnight()$$, '42501', null, 'a person cannot run it');
select * from finish();
rollback;
