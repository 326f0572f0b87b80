-- A helper whose body is one expression is PL/pgSQL, not `language sql`: every function
-- here sets its search_path, so a SQL one is never inlined and Postgres plans its body
-- again for each statement that calls it (on every request, and per row in a bulk write);
-- PL/pgSQL plans once per session (docs/schema.md). The same test as the one that found
-- them: no FROM, one statement, a value returned, with or without arguments (a constant
-- such as app.artifact_types() is planned per call too), and "is distinct from" is not a
-- FROM. The body is read without its string literals (a hint's semicolon is not a second
-- statement, a literal's "from" is not a FROM). The local scale generator is left out
-- (installed only by `renubu seed --scale`, never deployed).
begin;
select plan(1);

select is_empty(
  $$ select f.oid::regprocedure::text
       from (select p.oid, p.proname,
                    regexp_replace(regexp_replace(p.prosrc, '''([^'']|'''')*''', '''''', 'g'),
                                   '\mdistinct\s+from\M', '', 'gi') as body
               from pg_proc p join pg_language l on l.oid = p.prolang
              where p.pronamespace in ('public'::regnamespace, 'app'::regnamespace)
                and l.lanname = 'sql' and p.proconfig is not null and not p.proretset and p.provolatile <> 'v'
                and p.prorettype not in ('void'::regtype, 'record'::regtype)) f
      where f.body !~* '\m(from|where|limit|union|having|group)\M' and f.body !~ ';\s*\S'
        and f.proname not like 'scale\_%' $$,
  'no one-expression helper is language sql'
);

select * from finish();
rollback;
