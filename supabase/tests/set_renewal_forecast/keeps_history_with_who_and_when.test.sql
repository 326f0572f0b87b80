-- set_renewal_forecast: the people who work on a renewal set its category (commit only by
-- a person), forecast ARR and note; every change is kept with who and when, a repeat of
-- the same values adds nothing; viewers, other csms and other organisations cannot.
begin;
select plan(21);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 100000, 80, :'today'::date + 40, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e
 where e.customer_id = :'cust' and e.status = 'queued' and e.renewal_stage is not null \gset
select e.id as other_eid from app.workflow_executions e
 where e.customer_id = :'cust' and e.status = 'queued' and e.renewal_stage is null limit 1 \gset

select tests.authenticate_as('e_csm');
select is(public.set_renewal_forecast(:'eid', 'commit', null, '  PO in legal  ') - 'set_at' - 'set_by' - 'execution_id' - 'customer_id',
  jsonb_build_object('renewal_date', :'today'::date + 40, 'category', 'commit', 'category_source', 'person',
                     'current_arr', 100000.00, 'forecast_arr', 100000.00, 'forecast_arr_set', false, 'note', 'PO in legal'),
  'the csm commits the renewal; forecast ARR defaults to the current ARR');
select is((public.set_renewal_forecast(:'eid', 'commit', null, 'PO in legal') ->> 'set_by')::uuid, :'csm'::uuid, 'set_by is the person');
select is((select count(*)::int from app.renewal_forecast_history), 1, 'the same values again add no history');
select is(public.set_renewal_forecast(:'eid', 'at_risk', 80000.004, null) ->> 'forecast_arr', '80000.00', 'a forecast ARR is kept to the cent');
select is(app.customer_forecast_category(:'org', :'cust'), 'at_risk', 'the customer''s category follows');
select is(public.set_renewal_forecast(:'eid', 'at_risk', 80000, E'\t\u00a0\u200b') -> 'note', 'null'::jsonb,
  'a note of only blank characters is no note (and, the values being the same, no history)');
select results_eq(
  $$ select category, forecast_arr, note, changed_by from app.renewal_forecast_history order by changed_at, category desc $$,
  format($$ values ('commit'::text, null::numeric, 'PO in legal'::text, %L::uuid), ('at_risk', 80000.00, null, %L::uuid) $$, :'csm', :'csm'),
  'the history holds both changes with who made them');

select throws_ok(format($$ select public.set_renewal_forecast(%L, 'won') $$, :'eid'), '22023', null, 'an unknown category is refused');
select throws_ok(format($$ select public.set_renewal_forecast(%L, 'commit', -1) $$, :'eid'), '22023', null, 'a negative forecast ARR is refused');
select throws_ok(format($$ select public.set_renewal_forecast(%L, 'commit') $$, :'other_eid'), '22023', null, 'a workflow that is not a renewal is refused');
select throws_ok($$ select public.set_renewal_forecast(gen_random_uuid(), 'commit') $$, 'PT404', null, 'an unknown execution is not found');

select tests.authenticate_as('e_viewer');
select throws_ok(format($$ select public.set_renewal_forecast(%L, 'commit') $$, :'eid'), '42501', null, 'a viewer cannot set a forecast');
select is((select count(*)::int from app.renewal_forecast_history), 2, 'a viewer reads the history');
select tests.authenticate_as('e_csm2');
select throws_ok(format($$ select public.set_renewal_forecast(%L, 'churn_expected') $$, :'eid'), '42501', null, 'another csm cannot set it');
select tests.authenticate_as('o_manager');
select throws_ok(format($$ select public.set_renewal_forecast(%L, 'commit') $$, :'eid'), 'PT404', null, 'another organisation does not find it');
select is((select count(*)::int from app.renewal_forecasts) + (select count(*)::int from app.renewal_forecast_history), 0,
  'another organisation sees no forecast and no history');
select is(app.customer_forecast_category(:'org', :'cust'), null, 'nor the customer''s category');
select tests.authenticate_as('e_manager');
select is(public.set_renewal_forecast(:'eid', 'churn_expected', 0) ->> 'category', 'churn_expected', 'a manager sets it');
select is((select count(*)::int from app.renewal_forecast_history where changed_by = :'manager'), 1, '... recorded as the manager''s change');

-- Direct writes are held to the same rules as the RPC (RLS).
select tests.authenticate_as('e_viewer');
select is_empty(format($$ update app.renewal_forecasts set category = 'commit' where customer_id = %L returning 1 $$, :'cust'),
  'a viewer''s direct update changes nothing');
select tests.authenticate_as('e_csm2');
select is_empty(format($$ update app.renewal_forecasts set category = 'commit' where customer_id = %L returning 1 $$, :'cust'),
  'another csm''s direct update changes nothing');

select * from finish();
rollback;
