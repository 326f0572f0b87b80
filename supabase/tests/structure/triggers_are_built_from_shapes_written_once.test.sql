-- The repeated trigger shapes are built at migration time by functions written once
-- (app.create_touch_triggers, app.create_statement_triggers; docs/schema.md "Builders"):
-- what they make is exactly what a person would have typed, every statement-level trigger
-- with transition tables names them as the builder does (new_rows, old_rows, one event),
-- every table with an `updated_at` column has its touch trigger, and no API role may call
-- the builders. The builders refuse what they do not know rather than guessing.
begin;
select plan(12);

select is_empty(
  $$ select p.oid::regprocedure::text || ' by ' || r.role
       from pg_proc p
       cross join (values ('anon'), ('authenticated'), ('service_role')) r(role)
      where p.pronamespace = 'app'::regnamespace
        and p.proname in ('create_touch_triggers', 'create_statement_triggers')
        and has_function_privilege(r.role, p.oid, 'execute') $$,
  'no API role can execute the trigger builders');
select is(
  (select count(*)::int from pg_proc p where p.pronamespace = 'app'::regnamespace
      and p.proname in ('create_touch_triggers', 'create_statement_triggers')),
  2, 'the two trigger builders exist (rename them here too)');

-- The rule, over the whole schema: a statement-level trigger with transition tables fires
-- after one event and names its tables as its event has them.
select is_empty(
  $$ select c.relname || '.' || t.tgname
       from pg_trigger t join pg_class c on c.oid = t.tgrelid
      where c.relnamespace = 'app'::regnamespace and not t.tgisinternal
        and (t.tgoldtable is not null or t.tgnewtable is not null)
        and not (
          (t.tgtype & 1) = 0                                -- for each statement
          and (t.tgtype & 2) = 0 and (t.tgtype & 64) = 0    -- after
          and (t.tgtype & 60) in (4, 8, 16)                  -- one event: insert, delete or update
          and t.tgoldtable is not distinct from case when t.tgtype & 24 <> 0 then 'old_rows' end
          and t.tgnewtable is not distinct from case when t.tgtype & 20 <> 0 then 'new_rows' end) $$,
  'every transition-table trigger is after one event, for each statement, with new_rows / old_rows as its event has them');
select ok(
  (select count(*) from pg_trigger t join pg_class c on c.oid = t.tgrelid
    where c.relnamespace = 'app'::regnamespace and (t.tgnewtable is not null or t.tgoldtable is not null)) >= 30,
  'the check sees the statement-level triggers');

-- Every table with an updated_at column keeps it with its own touch trigger, but for the
-- two caches only their job writes, which sets updated_at in the same statement.
select is_empty(
  $$ select c.relname
       from pg_class c join pg_attribute a on a.attrelid = c.oid and a.attname = 'updated_at' and not a.attisdropped
      where c.relnamespace = 'app'::regnamespace and c.relkind = 'r'
        and c.relname not in ('orchestrator_watermarks', 'retention_state')
        and not exists (
          select 1 from pg_trigger t
           where t.tgrelid = c.oid and t.tgname = c.relname || '_touch_updated_at'
             and t.tgfoid = 'app.touch_updated_at()'::regprocedure
             and pg_get_triggerdef(t.oid) = format('CREATE TRIGGER %I BEFORE UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at()',
                                                   t.tgname, c.oid::regclass)) $$,
  'every app table with updated_at has its <table>_touch_updated_at trigger');

-- What the builders make is what a person would have typed.
create function app.probe_counter() returns trigger language plpgsql as $$ begin return null; end; $$;
create table app.trigger_probe (id int primary key, updated_at timestamptz);
create table app.trigger_probe_by_hand (id int primary key, updated_at timestamptz);
create trigger trigger_probe_by_hand_touch_updated_at before update on app.trigger_probe_by_hand
  for each row execute function app.touch_updated_at();
create trigger trigger_probe_by_hand_count_ins
  after insert on app.trigger_probe_by_hand referencing new table as new_rows
  for each statement execute function app.probe_counter();
create trigger trigger_probe_by_hand_count_upd
  after update on app.trigger_probe_by_hand referencing old table as old_rows new table as new_rows
  for each statement execute function app.probe_counter();
create trigger trigger_probe_by_hand_count_del
  after delete on app.trigger_probe_by_hand referencing old table as old_rows
  for each statement execute function app.probe_counter();
select lives_ok(
  $$ select app.create_touch_triggers('app.trigger_probe'),
            app.create_statement_triggers('app.trigger_probe', 'trigger_probe_count', 'app.probe_counter') $$,
  'a table gets its touch trigger and a statement-level triplet in one call each');
select is(
  (select array_agg(replace(pg_get_triggerdef(t.oid), 'trigger_probe', '<t>') order by t.tgname)
     from pg_trigger t where t.tgrelid = 'app.trigger_probe'::regclass),
  (select array_agg(replace(pg_get_triggerdef(t.oid), 'trigger_probe_by_hand', '<t>') order by t.tgname)
     from pg_trigger t where t.tgrelid = 'app.trigger_probe_by_hand'::regclass),
  'the built triggers are the hand-written ones: names, timing, events, transition tables, function');
select lives_ok(
  $$ select app.create_statement_triggers('app.trigger_probe', 'trigger_probe_changed', 'app.probe_counter', '{update}'),
            app.create_statement_triggers('app.trigger_probe', 'trigger_probe_seen', 'app.probe_counter', '{insert,delete}', suffixes => '{_on_insert,_on_delete}') $$,
  'one event keeps the name as given; suffixes name the events otherwise');
select is(
  (select array_agg(t.tgname || ' ' || coalesce(t.tgoldtable, '-') || ' ' || coalesce(t.tgnewtable, '-') order by t.tgname)
     from pg_trigger t where t.tgrelid = 'app.trigger_probe'::regclass and t.tgname ~ '_(changed|seen)'),
  array['trigger_probe_changed old_rows new_rows', 'trigger_probe_seen_on_delete old_rows -', 'trigger_probe_seen_on_insert - new_rows'],
  'named and given transition tables as asked');

select throws_ok($$ select app.create_statement_triggers('app.trigger_probe', 'x', 'app.probe_counter', '{upsert}') $$,
  '22023', null, 'an unknown event is refused');
select throws_ok($$ select app.create_statement_triggers('app.trigger_probe', 'x', 'app.probe_counter', suffixes => '{_a}') $$,
  '22023', null, 'suffixes that do not line up with the events are refused');

select tests.authenticate_as_service_role();
select throws_ok($$ select app.create_touch_triggers('app.trigger_probe_by_hand') $$,
  '42501', null, 'the service role cannot build triggers');

select * from finish();
rollback;
