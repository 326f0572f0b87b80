-- The run compiles nothing with JIT: its statements are planned against tables of millions
-- of rows but a daily run touches thousands, and compiling one statement cost 0.3 s of a
-- 5 s run at 300k (docs/performance.md). The setting is the function's own, so it holds on
-- any server whatever its jit default.
begin;
select plan(2);
select ok((select 'jit=off' = any(p.proconfig) from pg_proc p
            where p.oid = 'app.run_orchestrator_for_org(uuid, date, text, uuid, boolean)'::regprocedure),
          'app.run_orchestrator_for_org runs with jit = off');
select ok((select 'search_path=""' = any(p.proconfig) from pg_proc p
            where p.oid = 'app.run_orchestrator_for_org(uuid, date, text, uuid, boolean)'::regprocedure),
          'and keeps its empty search_path');
select * from finish();
rollback;
