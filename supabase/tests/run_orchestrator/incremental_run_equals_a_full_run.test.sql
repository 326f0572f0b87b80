-- The daily run looks only at the customers whose inputs changed (or whose stage boundary
-- was crossed) since the last run, and ends exactly where a full run would: after changes
-- of every kind, the executions and stages an incremental run leaves are those a full run
-- from the same state leaves; a second run creates nothing twice; a customer whose stage
-- boundary falls in the new days is picked up with no data change at all.
begin;
select plan(12);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
-- Day 0 and day 1 of the test: the same month, so the second run is incremental.
select (date_trunc('month', :'today'::date) + interval '1 day')::date as d0 \gset
select (:'d0'::date + 5)::date as d1 \gset

insert into app.customers (org_id, name, arr, health_score, renewal_date, risk_score, opportunity_score, assigned_to)
select :'org', v.name, v.arr, v.health, :'d0'::date + v.days, v.risk, v.opportunity, :'csm'
  from (values
    ('A stage boundary', 40000, 55, 30, null::int, null::int),   -- Finalize on day 0, Signature on day 1
    ('B overdue cutoff', 40000, 55, -27, null, null),   -- 27 days overdue, then 32: no renewal any more
    ('C renewal moved', 40000, 55, 100, null, null),
    ('D contract', 40000, 55, 100, null, null),
    ('E plan', 40000, 55, 300, null, null),
    ('F risk', 40000, 55, 300, 10, null),
    ('G opportunity', 40000, 55, 300, null, 90),
    ('H cancelled', 40000, 55, 50, null, null),
    ('I deleted', 40000, 55, 50, null, null),
    ('K snoozed', 40000, 55, 50, null, null),
    ('L unchanged', 40000, 55, 50, null, null)) as v(name, arr, health, days, risk, opportunity);
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
select :'org', 'Filler ' || g, 40000, 55, :'d0'::date + 200 + g, :'csm2' from generate_series(1, 20) g;

select app.run_orchestrator_for_org(:'org', :'d0'::date) ->> 'mode' as first_mode \gset
select is(:'first_mode'::text, 'full', 'the first run looks at every customer');

-- Changes of every kind between the two runs.
update app.customers set renewal_date = :'d0'::date + 20 where name = 'C renewal moved';
insert into app.contracts (org_id, customer_id, contract_number, status, start_date, end_date, annual_value, auto_renew, notice_period_days)
select :'org', c.id, 'D-1', 'active', :'d0'::date - 265, :'d0'::date + 99, 40000, true, 90
  from app.customers c where c.name = 'D contract';
update app.customers set arr = 200000, health_score = 90 where name = 'E plan';
update app.customers set risk_score = 80 where name = 'F risk';
update app.customers set opportunity_score = 20 where name = 'G opportunity';
update app.workflow_executions e set status = 'cancelled'
  from app.customers c where c.id = e.customer_id and c.name = 'H cancelled';
delete from app.workflow_executions e using app.customers c where c.id = e.customer_id and c.name = 'I deleted';
update app.workflow_executions e set status = 'snoozed', snoozed_until = (:'d1'::date - 1)::timestamptz
  from app.customers c where c.id = e.customer_id and c.name = 'K snoozed';
insert into app.customers (org_id, name, arr, health_score, renewal_date, risk_score, assigned_to)
values (:'org', 'J new', 200000, 90, :'d0'::date + 10, 75, :'csm');

-- What is there after a run: executions by natural key, and stored stages.
create temporary view outcome as
  select coalesce(string_agg(x.line, E'\n' order by x.line), '') as lines from (
    select concat_ws(' | ', c.name, w.key, e.status, e.period_key, e.renewal_stage, sw.key, e.priority_score, e.queue_lane,
                     e.trigger_reason, e.snoozed_until) as line
      from app.workflow_executions e
      join app.customers c on c.id = e.customer_id
      join app.workflows w on w.id = e.workflow_id
      left join app.workflow_executions s on s.id = e.superseded_by
      left join app.workflows sw on sw.id = s.workflow_id
     where e.org_id = :'org'
    union all
    select c.name || ' stage ' || coalesce(c.renewal_stage, '-') from app.customers c where c.org_id = :'org') x;

savepoint before_day_1;
select app.run_orchestrator_for_org(:'org', :'d1'::date) as incremental \gset
select lines as incremental_outcome from outcome \gset
select is(:'incremental'::jsonb ->> 'mode', 'incremental', 'the second run is incremental');
select cmp_ok((:'incremental'::jsonb ->> 'customers')::int, '<', 15, 'and looks at the changed customers only, not all 32');
select ok((:'incremental'::jsonb ->> 'created')::int > 0 and (:'incremental'::jsonb ->> 'superseded')::int > 0
          and (:'incremental'::jsonb ->> 'woken')::int = 1, 'it opened, superseded and woke work');
select is((select e.renewal_stage from app.workflow_executions e join app.customers c on c.id = e.customer_id
            where c.name = 'A stage boundary' and e.status = 'queued' and e.renewal_stage is not null),
          'Signature', 'a customer whose stage boundary was crossed is picked up without any data change');
select is((select count(*)::int from app.workflow_executions e join app.customers c on c.id = e.customer_id
            where c.name = 'B overdue cutoff' and e.status = 'queued'), 0, 'a customer past the overdue cutoff loses its renewal');

-- Running again the same day: nothing twice.
select md5(:'incremental_outcome') as after_first \gset
select app.run_orchestrator_for_org(:'org', :'d1'::date) as again \gset
select ok((:'again'::jsonb ->> 'created')::int = 0 and (:'again'::jsonb ->> 'superseded')::int = 0
          and (:'again'::jsonb ->> 'restaged')::int = 0, 'a second run creates, supersedes and restages nothing');
select is((select md5(lines) from outcome), :'after_first', 'and changes no execution');

-- The same day from the same state, with every customer looked at.
rollback to savepoint before_day_1;
select app.run_orchestrator_for_org(:'org', :'d1'::date, full_run => true) as full_run \gset
select is(:'full_run'::jsonb ->> 'mode', 'full', 'full_run => true looks at every customer');
select is((select lines from outcome), :'incremental_outcome', 'the incremental run left exactly what the full run leaves');
select is(jsonb_build_array(:'full_run'::jsonb -> 'created', :'full_run'::jsonb -> 'superseded', :'full_run'::jsonb -> 'woken', :'full_run'::jsonb -> 'restaged'),
          jsonb_build_array(:'incremental'::jsonb -> 'created', :'incremental'::jsonb -> 'superseded', :'incremental'::jsonb -> 'woken', :'incremental'::jsonb -> 'restaged'),
          'with the same counts');
select is((select count(*)::int from app.orchestrator_dirty_customers where org_id = :'org'), 0, 'every mark was consumed');

select * from finish();
rollback;
