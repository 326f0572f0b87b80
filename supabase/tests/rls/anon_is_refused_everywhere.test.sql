-- anon can neither read nor write any table: every attempt is refused with 42501.
begin;

create temporary table app_tables on commit drop as
  select c.relname::text as table_name from pg_class c
  where c.relnamespace = 'app'::regnamespace and c.relkind = 'r' order by 1;
select plan((select 2 * count(*)::int from app_tables));
grant select on app_tables to anon;

select tests.authenticate_as_anon();
select throws_ok(format('select 1 from app.%I', table_name), '42501', null, format('anon cannot read %s', table_name))
from app_tables;
select throws_ok(format('delete from app.%I', table_name), '42501', null, format('anon cannot delete from %s', table_name))
from app_tables;

select * from finish();
rollback;
