-- When the stage moves on, the old renewal execution is superseded (history kept) and one for the new stage opens;
-- the forecast, which the run refreshes once after both steps, follows the new one without
-- rewriting its kept row (nothing it counts changed). The
-- successor is scored with the CSM's workload after the supersede (the started renewal no
-- longer counts), as a re-score would score it.
begin;
select plan(9);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
-- The CSM had started it (its steps exist), then four days later the renewal is overdue by one day.
select tests.authenticate_as('e_csm');
select public.start_workflow(:'eid') is not null as started \gset
select tests.clear_authentication();
select ctid::text as forecast_row from app.forecast_open_renewals where customer_id = :'cust' \gset
select app.run_orchestrator_for_org(:'org', :'today'::date + 4) as r \gset
select is((select status from app.workflow_executions where id = :'eid'), 'superseded', 'the Emergency execution is superseded');
select is((select w.key from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
            where e.id = (select superseded_by from app.workflow_executions where id = :'eid')), 'overdue', 'its successor is the Overdue execution');
select is((select count(*)::int from app.workflow_step_executions where execution_id = :'eid'),
          (select total_steps from app.workflow_executions where id = :'eid'), 'its steps are kept');
select is((select metadata -> 'history' -> -1 ->> 'event' from app.workflow_executions where id = :'eid'), 'superseded', 'the supersede is in its history');
select is((:'r'::jsonb ->> 'superseded')::int, 1, 'the run counts it');
select is((select r.execution_id from app.forecast_page_rows(:'org', null, :'today'::date - 400, :'today'::date + 400,
                                                             null, null, null, null, 500) r
            where r.customer_id = :'cust' and r.state = 'open'),
          (select superseded_by from app.workflow_executions where id = :'eid'), 'the forecast''s item links to the successor');
select is((select ctid::text from app.forecast_open_renewals where customer_id = :'cust'), :'forecast_row',
          'and its kept row was not rewritten: nothing it counts changed');
select is_empty(format($$select * from app.forecast_wanted_rows(array[%L::uuid])
                         except select * from app.forecast_open_renewals where customer_id = %L$$, :'cust', :'cust'),
                'and its row is what a fresh computation gives');
select is(app.refresh_priorities(array[(select superseded_by from app.workflow_executions where id = :'eid')]), 0,
          'the successor''s score is what a re-score gives: the superseded work no longer counts');

select * from finish();
rollback;
