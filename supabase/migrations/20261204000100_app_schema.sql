-- The private schema `app`, the privilege defaults and the small helpers every area uses.
-- Holds: schema `app` and its grants, default privileges (no function callable until granted
-- by name; service_role gets every table), app.touch_updated_at, app.is_time_zone.
--
-- Part of the release baseline (docs/schema.md): one file per area, in dependency order.
-- From now on migrations are append-only: a change is a new timestamped file.

-- The private schema `app` and the privilege defaults every later migration relies on.
--
-- Why: the Data API exposes only `public`, which holds nothing but the RPC functions of
-- docs/data-model.md "Three schemas". Tables, triggers and internal helpers live in `app`, reachable by the
-- `authenticated` role only through grants that row-level security then narrows.
-- Postgres grants EXECUTE on every new function to PUBLIC (and Supabase's historic
-- defaults grant it to anon and authenticated in `public`); we revoke those defaults
-- once here so each function is granted explicitly, right under its definition.

create schema if not exists app;

comment on schema app is 'Renubu''s private schema: every table and internal function. Not exposed by the Data API.';

revoke all on schema app from public;

grant usage on schema app to authenticated, service_role;

-- No function is callable by anyone until it is granted by name.
alter default privileges revoke execute on functions from public;

alter default privileges in schema public revoke execute on functions from anon, authenticated, service_role;

alter default privileges in schema app revoke execute on functions from public;

-- Table privileges say which commands are possible at all; row-level security then says
-- on which rows. `authenticated` gets, right under each table, exactly the commands some
-- policy allows (a command with no policy is not granted, so it fails loudly with 42501
-- instead of silently matching nothing). `anon` gets nothing: it has no usage on `app`.

-- service_role (Edge Functions, ingest, cron) bypasses RLS and gets every table in `app`.
alter default privileges in schema app grant select, insert, update, delete on tables to service_role;

alter default privileges in schema app grant usage, select on sequences to service_role;

-- Keeps `updated_at` honest without every writer having to remember it.
create or replace function app.touch_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;

-- A time zone name Postgres understands ('Europe/Paris', 'UTC', ...). Used by a check
-- constraint; stable rather than immutable because the tz database can change.
create or replace function app.is_time_zone(name text)
returns boolean
language plpgsql
stable
set search_path = ''
as $$
begin
  perform now() at time zone is_time_zone.name;
  return true;
exception when invalid_parameter_value then
  return false;
end;
$$;
grant execute on function app.is_time_zone(text) to authenticated, service_role;

-- Triggers written once (docs/schema.md "Builders").
--
-- Why: the same trigger statements stood again and again across the area files: a
-- `touch_updated_at` trigger per table, and the statement-level triplets that keep a kept
-- total or a mark current (after insert / update / delete, each with the transition tables
-- its event has). A triplet copied by hand could lose an event or name the wrong transition
-- table, and the copy would still run. So each shape is built here with format(), and each
-- table states its triggers in one call beside its other rules. The trigger made is exactly
-- the one a person would have typed (the same name, timing, transition tables and function):
-- nothing runs per row that did not before. Migration-time only: no API role may call these.

-- `<table>_touch_updated_at`, before update, for each row: keeps `updated_at` honest.
create or replace function app.create_touch_triggers(variadic tables regclass[])
returns void
language plpgsql
set search_path = ''
as $$
declare
  t regclass;
begin
  foreach t in array tables loop
    execute format('create trigger %I before update on %s for each row execute function app.touch_updated_at()',
      (select c.relname || '_touch_updated_at' from pg_catalog.pg_class c where c.oid = t), t);
  end loop;
end;
$$;
comment on function app.create_touch_triggers(regclass[]) is
  'Migration-time only: creates each table''s <table>_touch_updated_at trigger (before update, for each row, app.touch_updated_at).';
revoke execute on function app.create_touch_triggers(regclass[]) from public, anon, authenticated, service_role;

-- Statement-level AFTER triggers calling `fn`, one per event, each referencing the
-- transition tables of its event: insert `new_rows`, update `old_rows` and `new_rows`,
-- delete `old_rows` (truncate has none). Named `name` plus the event's suffix (default
-- _ins, _upd, _del, _trunc); a single event without suffixes is named `name` itself.
create or replace function app.create_statement_triggers(
  tbl regclass,
  name text,
  fn regproc,
  events text[] default '{insert,update,delete}',
  suffixes text[] default null
)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_event text;
  v_suffix text;
begin
  if suffixes is not null and cardinality(suffixes) <> cardinality(events) then
    raise exception 'suffixes % do not line up with events %', suffixes, events using errcode = '22023';
  end if;
  for i in 1 .. cardinality(events) loop
    v_event := events[i];
    if v_event is null or v_event not in ('insert', 'update', 'delete', 'truncate') then
      raise exception 'unknown trigger event % (insert, update, delete or truncate)', v_event using errcode = '22023';
    end if;
    v_suffix := coalesce(suffixes[i], case
      when cardinality(events) = 1 then ''
      else case v_event when 'insert' then '_ins' when 'update' then '_upd' when 'delete' then '_del' else '_trunc' end
    end);
    if octet_length(name || v_suffix) > 63 then
      raise exception 'trigger name longer than 63 bytes: %', name || v_suffix using errcode = '22023';
    end if;
    execute format('create trigger %I after %s on %s %s for each statement execute function %s()',
      name || v_suffix, v_event, tbl,
      case v_event
        when 'insert' then 'referencing new table as new_rows'
        when 'update' then 'referencing old table as old_rows new table as new_rows'
        when 'delete' then 'referencing old table as old_rows'
        else ''
      end,
      fn);
  end loop;
end;
$$;
comment on function app.create_statement_triggers(regclass, text, regproc, text[], text[]) is
  'Migration-time only: creates statement-level AFTER triggers calling fn, one per event, each with the transition tables of its event (new_rows, old_rows).';
revoke execute on function app.create_statement_triggers(regclass, text, regproc, text[], text[]) from public, anon, authenticated, service_role;

-- The page-size rule of the paged RPCs (docs/api-contract.md "Conventions"), written once: 22023 unless
-- 1 ≤ page_size ≤ max_size, with the caller's hint when it has one.
create or replace function app.check_page_size(page_size integer, max_size integer default 200, hint text default null)
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  if check_page_size.page_size is null or check_page_size.page_size not between 1 and check_page_size.max_size then
    if check_page_size.hint is null then
      raise exception 'page_size must be between 1 and %', check_page_size.max_size using errcode = '22023';
    end if;
    raise exception 'page_size must be between 1 and %', check_page_size.max_size using errcode = '22023',
      hint = check_page_size.hint;
  end if;
end;
$$;
grant execute on function app.check_page_size(integer, integer, text) to authenticated, service_role;
