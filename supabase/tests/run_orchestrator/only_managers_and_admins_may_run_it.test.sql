-- run_orchestrator: managers and admins of the org run it and get the counts; csm and viewer 42501; anon cannot call it.
begin;
select plan(5);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select tests.authenticate_as('e_csm');
select throws_ok($$select public.run_orchestrator()$$, '42501', null, 'a csm may not run it');
select tests.authenticate_as('e_viewer');
select throws_ok($$select public.run_orchestrator()$$, '42501', null, 'a viewer may not run it');
select tests.authenticate_as('e_manager');
select ok(public.run_orchestrator() ?& array['created', 'superseded', 'woken', 'restaged', 'duration_ms'], 'a manager gets the counts');
select tests.clear_authentication();
select is((select trigger from app.orchestrator_runs where org_id = :'org' order by started_at desc limit 1), 'manual', 'the run is recorded as manual');
select ok(not has_function_privilege('anon', 'public.run_orchestrator(text)', 'execute'), 'anon cannot execute it');

select * from finish();
rollback;
