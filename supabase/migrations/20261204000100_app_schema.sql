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
