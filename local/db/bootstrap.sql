-- What Supabase's Postgres image provides before any project migration runs, recreated on
-- plain Debian PostgreSQL 15 (docs/supabase-protocol.md §5). Idempotent: applied to every
-- fresh database, and again on every start and before each `renubu db reset`.
--
-- `supabase db reset --db-url` drops every schema not owned by `supabase_admin` and
-- truncates `auth`, so `auth` is owned by supabase_admin and demo users are re-seeded.

do $$
begin
  if not exists (select from pg_roles where rolname = 'supabase_admin') then
    create role supabase_admin login superuser createdb createrole replication bypassrls password 'postgres';
  end if;
  if not exists (select from pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select from pg_roles where rolname = 'service_role') then
    create role service_role nologin noinherit bypassrls;
  end if;
  if not exists (select from pg_roles where rolname = 'authenticator') then
    create role authenticator login noinherit password 'postgres';
  end if;
  -- The Auth stand-in logs in as this role, as GoTrue does on Supabase: it reads and
  -- writes the auth schema and nothing else.
  if not exists (select from pg_roles where rolname = 'supabase_auth_admin') then
    create role supabase_auth_admin login noinherit password 'postgres';
  end if;
end
$$;

-- Same per-role limits as Supabase, so a slow query fails here the way it would there.
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';
alter role authenticator set statement_timeout = '8s';
alter role authenticator set lock_timeout = '8s';
grant anon, authenticated, service_role to authenticator;
grant anon, authenticated, service_role to postgres;

-- The advisors read which schemas the Data API exposes from this setting.
alter role authenticator set pgrst.db_schemas = 'public, graphql_public';

grant usage on schema public to postgres, anon, authenticated, service_role;

create schema if not exists extensions;
grant usage on schema extensions to postgres, anon, authenticated, service_role;
create extension if not exists pgcrypto with schema extensions;
create extension if not exists "uuid-ossp" with schema extensions;
alter role postgres set search_path = "$user", public, extensions;

create schema if not exists auth authorization supabase_admin;
grant usage on schema auth to anon, authenticated, service_role, postgres;

-- The columns GoTrue's user model uses (docs/supabase-protocol.md §5.3).
create table if not exists auth.users (
  instance_id uuid,
  id uuid primary key,
  aud varchar(255),
  role varchar(255),
  email varchar(255),
  encrypted_password varchar(255),
  email_confirmed_at timestamptz,
  invited_at timestamptz,
  confirmation_token varchar(255),
  confirmation_sent_at timestamptz,
  recovery_token varchar(255),
  recovery_sent_at timestamptz,
  email_change_token_new varchar(255),
  email_change varchar(255),
  email_change_sent_at timestamptz,
  email_change_token_current varchar(255) default '',
  email_change_confirm_status smallint default 0,
  last_sign_in_at timestamptz,
  raw_app_meta_data jsonb,
  raw_user_meta_data jsonb,
  is_super_admin boolean,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  phone text unique default null,
  phone_confirmed_at timestamptz,
  phone_change text default '',
  phone_change_token varchar(255) default '',
  phone_change_sent_at timestamptz,
  confirmed_at timestamptz generated always as (least(email_confirmed_at, phone_confirmed_at)) stored,
  banned_until timestamptz,
  reauthentication_token varchar(255) default '',
  reauthentication_sent_at timestamptz,
  is_sso_user boolean not null default false,
  deleted_at timestamptz,
  is_anonymous boolean not null default false
);
create unique index if not exists users_email_partial_key on auth.users (email) where is_sso_user = false;

create table if not exists auth.identities (
  id uuid primary key default gen_random_uuid(),
  provider_id text not null,
  user_id uuid not null references auth.users (id) on delete cascade,
  identity_data jsonb not null,
  provider text not null,
  last_sign_in_at timestamptz,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  email text generated always as (lower(identity_data ->> 'email')) stored,
  unique (provider_id, provider)
);

create table if not exists auth.sessions (
  id uuid primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  not_after timestamptz,
  user_agent text,
  ip inet
);

create table if not exists auth.refresh_tokens (
  id bigserial primary key,
  token varchar(255) unique,
  user_id varchar(255),
  revoked boolean default false,
  parent varchar(255),
  session_id uuid references auth.sessions (id) on delete cascade,
  created_at timestamptz default now(),
  updated_at timestamptz default now()
);
create index if not exists refresh_tokens_session_id_revoked_idx on auth.refresh_tokens (session_id, revoked);

alter table auth.users owner to supabase_admin;
alter table auth.identities owner to supabase_admin;
alter table auth.sessions owner to supabase_admin;
alter table auth.refresh_tokens owner to supabase_admin;
-- Migrations reference auth.users(id) in foreign keys and seeds insert demo users.
grant select, insert, update, delete, references on all tables in schema auth to postgres;
grant usage on all sequences in schema auth to postgres;
grant usage on schema auth, extensions to supabase_auth_admin;
grant select, insert, update, delete on all tables in schema auth to supabase_auth_admin;
grant usage on all sequences in schema auth to supabase_auth_admin;
alter role supabase_auth_admin set search_path = auth, extensions;
alter role supabase_auth_admin set statement_timeout = '8s';

-- The current bodies of GoTrue's helpers (docs/supabase-protocol.md §5.3): legacy claim first, then the claims.
-- Written out one by one, as Supabase's image has them, rather than through a shared helper: the
-- stand-in must run exactly the bodies a hosted project runs (every RLS policy calls them per row).
create or replace function auth.uid() returns uuid
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$$;

create or replace function auth.role() returns text
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  )::text
$$;

create or replace function auth.email() returns text
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.email', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email')
  )::text
$$;

create or replace function auth.jwt() returns jsonb
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$$;

alter function auth.uid() owner to supabase_admin;
alter function auth.role() owner to supabase_admin;
alter function auth.email() owner to supabase_admin;
alter function auth.jwt() owner to supabase_admin;
grant execute on function auth.uid(), auth.role(), auth.email(), auth.jwt()
  to anon, authenticated, service_role, postgres;

-- Tell the API gateway to reload its schema cache after DDL, as Supabase's
-- `pgrst_ddl_watch` / `pgrst_drop_watch` event triggers tell PostgREST (NOTIFY pgrst).
create or replace function extensions.pgrst_ddl_watch() returns event_trigger
language plpgsql
set search_path = ''
as $$
declare
  cmd record;
begin
  for cmd in select * from pg_catalog.pg_event_trigger_ddl_commands() loop
    if cmd.schema_name is distinct from 'pg_temp' then
      perform pg_catalog.pg_notify('pgrst', 'reload schema');
      return;
    end if;
  end loop;
end
$$;

create or replace function extensions.pgrst_drop_watch() returns event_trigger
language plpgsql
set search_path = ''
as $$
declare
  obj record;
begin
  for obj in select * from pg_catalog.pg_event_trigger_dropped_objects() loop
    if obj.object_type in ('function', 'schema', 'type') and not obj.is_temporary then
      perform pg_catalog.pg_notify('pgrst', 'reload schema');
      return;
    end if;
  end loop;
end
$$;

do $$
begin
  if not exists (select from pg_event_trigger where evtname = 'pgrst_ddl_watch') then
    create event trigger pgrst_ddl_watch on ddl_command_end execute procedure extensions.pgrst_ddl_watch();
  end if;
  if not exists (select from pg_event_trigger where evtname = 'pgrst_drop_watch') then
    create event trigger pgrst_drop_watch on sql_drop execute procedure extensions.pgrst_drop_watch();
  end if;
end
$$;

-- pg_net and Vault, as a hosted project has them, where Debian's PostgreSQL does not
-- (neither is packaged). Scheduled jobs call Edge Functions the way Supabase documents:
-- pg_cron runs `net.http_post(url, body, params, headers, timeout_milliseconds)` with the
-- project URL and service key read from `vault.decrypted_secrets`. Here `net.http_post`
-- queues the request and local/pg-net-worker.mjs performs it, writing `net._http_response`
-- as pg_net's background worker does; Vault keeps its secrets in a table only the platform
-- and `postgres` read (no encryption: a local stack only). Owned by supabase_admin, so
-- `supabase db reset` keeps them, like the real extensions' schemas.
do $$
begin
  if exists (select from pg_available_extensions where name = 'pg_net') then
    return; -- the real extension: a migration enables it
  end if;
  create schema if not exists net authorization supabase_admin;
  create table if not exists net.http_request_queue (
    id bigserial primary key,
    method text not null,
    url text not null,
    headers jsonb not null default '{}',
    body bytea,
    timeout_milliseconds integer not null,
    created_at timestamptz not null default now()
  );
  create table if not exists net._http_response (
    id bigint primary key,
    status_code integer,
    content_type text,
    headers jsonb,
    content text,
    timed_out boolean,
    error_msg text,
    created timestamptz not null default now()
  );
  alter table net.http_request_queue owner to supabase_admin;
  alter table net._http_response owner to supabase_admin;
end
$$;

do $$
begin
  if exists (select from pg_available_extensions where name = 'pg_net') then
    return;
  end if;
  create or replace function net.http_post(
    url text,
    body jsonb default '{}'::jsonb,
    params jsonb default '{}'::jsonb,
    headers jsonb default '{"Content-Type": "application/json"}'::jsonb,
    timeout_milliseconds integer default 5000
  ) returns bigint
  language plpgsql
  volatile
  set search_path = ''
  as $fn$
  declare
    v_content_type text;
    v_id bigint;
  begin
    -- As pg_net: a missing Content-Type becomes JSON; any other one is refused.
    headers := coalesce(headers, '{}'::jsonb);
    select h.value into v_content_type from jsonb_each_text(headers) as h(key, value)
     where lower(h.key) = 'content-type' limit 1;
    if v_content_type is null then
      headers := headers || '{"Content-Type": "application/json"}'::jsonb;
    elsif v_content_type <> 'application/json' then
      raise exception 'Content-Type header must be "application/json"';
    end if;
    insert into net.http_request_queue (method, url, headers, body, timeout_milliseconds)
    values ('POST',
            http_post.url || case when coalesce(params, '{}'::jsonb) = '{}'::jsonb then '' else '?' || (
              select string_agg(k || '=' || v, '&') from jsonb_each_text(params) as p(k, v)) end,
            headers,
            convert_to(coalesce(body, '{}'::jsonb)::text, 'UTF8'),
            http_post.timeout_milliseconds)
    returning id into v_id;
    return v_id;
  end
  $fn$;
  alter function net.http_post(text, jsonb, jsonb, jsonb, integer) owner to supabase_admin;
end
$$;
grant usage on schema net to postgres;
grant execute on all functions in schema net to postgres;
grant select on all tables in schema net to postgres;
grant insert on all tables in schema net to postgres;
grant usage on all sequences in schema net to postgres;

do $$
begin
  if exists (select from pg_namespace where nspname = 'vault') then
    return;
  end if;
  create schema vault authorization supabase_admin;
  create table vault.secrets (
    id uuid primary key default gen_random_uuid(),
    name text unique,
    description text not null default '',
    secret text not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  );
  alter table vault.secrets owner to supabase_admin;
  create view vault.decrypted_secrets as
    select s.id, s.name, s.description, s.secret, s.secret as decrypted_secret, s.created_at, s.updated_at
      from vault.secrets s;
  alter view vault.decrypted_secrets owner to supabase_admin;
  create function vault.create_secret(new_secret text, new_name text default null, new_description text default '')
  returns uuid
  language sql
  volatile
  set search_path = ''
  as $fn$
    insert into vault.secrets (secret, name, description) values (new_secret, new_name, new_description) returning id
  $fn$;
  alter function vault.create_secret(text, text, text) owner to supabase_admin;
end
$$;
grant usage on schema vault to postgres;
grant select on vault.decrypted_secrets to postgres;
grant select, insert, update, delete on vault.secrets to postgres;
grant execute on function vault.create_secret(text, text, text) to postgres;
-- Hosted Vault's way to change a stored secret, with its signature (docs/deploy.md, step 4:
-- `select vault.update_secret(id, '<new value>') from vault.secrets where name = …`). Made
-- outside the block above, so clusters created before it get it on their next start. A
-- null argument keeps what is stored; new_key_id names an encryption key, which the
-- stand-in, storing the text as it is, has none of.
create or replace function vault.update_secret(secret_id uuid, new_secret text default null, new_name text default null,
                                               new_description text default null, new_key_id uuid default null)
returns void
language sql
volatile
set search_path = ''
as $fn$
  update vault.secrets s
     set secret = coalesce(new_secret, s.secret), name = coalesce(new_name, s.name),
         description = coalesce(new_description, s.description), updated_at = now()
   where s.id = secret_id
$fn$;
alter function vault.update_secret(uuid, text, text, text, uuid) owner to supabase_admin;
revoke execute on function vault.update_secret(uuid, text, text, text, uuid) from public;
grant execute on function vault.update_secret(uuid, text, text, text, uuid) to postgres;

-- Storage, as a hosted project has it before any migration (docs/supabase-protocol.md §8,
-- docs/contracts.md): the `storage` schema owned by supabase_admin (so `supabase db reset` keeps it,
-- as it keeps the real one), `buckets` and `objects` owned by supabase_storage_admin with
-- RLS on and ALL granted to the API roles, the path helpers, and the statement trigger that
-- refuses direct deletes unless `storage.allow_delete_query` is 'true' (the Storage API
-- sets it per transaction). Projects add their buckets and policies in migrations, which
-- run as `postgres`: a member of supabase_storage_admin, as on hosted, so it may create
-- policies on these tables. Only created when absent.
do $$
begin
  if not exists (select from pg_roles where rolname = 'supabase_storage_admin') then
    create role supabase_storage_admin nologin noinherit;
  end if;
end
$$;
grant supabase_storage_admin to postgres;
grant anon, authenticated, service_role to supabase_storage_admin;

do $$
begin
  if exists (select from pg_namespace where nspname = 'storage') then
    return;
  end if;
  create schema storage authorization supabase_admin;

  create table storage.buckets (
    id text primary key,
    name text not null,
    owner uuid,
    owner_id text,
    created_at timestamptz default now(),
    updated_at timestamptz default now(),
    public boolean default false,
    avif_autodetection boolean default false,
    file_size_limit bigint,
    allowed_mime_types text[],
    type text not null default 'STANDARD' check (type in ('STANDARD', 'ANALYTICS', 'VECTOR'))
  );
  create unique index bname on storage.buckets (name);
  comment on column storage.buckets.owner is 'Field is deprecated, use owner_id instead';

  create table storage.objects (
    id uuid primary key default gen_random_uuid(),
    bucket_id text references storage.buckets (id),
    name text,
    owner uuid,
    owner_id text,
    created_at timestamptz default now(),
    updated_at timestamptz default now(),
    last_accessed_at timestamptz default now(),
    metadata jsonb,
    user_metadata jsonb,
    version text,
    path_tokens text[] generated always as (string_to_array(name, '/')) stored
  );
  create unique index bucketid_objname on storage.objects (bucket_id, name);
  create index name_prefix_search on storage.objects (name text_pattern_ops);
  comment on column storage.objects.owner is 'Field is deprecated, use owner_id instead';

  alter table storage.buckets enable row level security;
  alter table storage.objects enable row level security;

  create function storage.foldername(name text) returns text[]
  language plpgsql immutable
  as $fn$
  declare _parts text[];
  begin
    select string_to_array(name, '/') into _parts;
    return _parts[1:array_length(_parts, 1) - 1];
  end
  $fn$;

  create function storage.filename(name text) returns text
  language plpgsql immutable
  as $fn$
  declare _parts text[];
  begin
    select string_to_array(name, '/') into _parts;
    return _parts[array_length(_parts, 1)];
  end
  $fn$;

  create function storage.extension(name text) returns text
  language plpgsql immutable
  as $fn$
  declare _parts text[]; _filename text;
  begin
    select string_to_array(name, '/') into _parts;
    select _parts[array_length(_parts, 1)] into _filename;
    return reverse(split_part(reverse(_filename), '.', 1));
  end
  $fn$;

  create function storage.update_updated_at_column() returns trigger
  language plpgsql
  as $fn$
  begin
    new.updated_at = now();
    return new;
  end
  $fn$;
  create trigger update_objects_updated_at before update on storage.objects
    for each row execute function storage.update_updated_at_column();

  create function storage.protect_delete() returns trigger
  language plpgsql
  as $fn$
  begin
    if coalesce(current_setting('storage.allow_delete_query', true), 'false') <> 'true' then
      raise exception 'Direct deletion from storage tables is not allowed. Use the Storage API instead.'
        using errcode = '42501', hint = 'This prevents accidental data loss from orphaned objects.';
    end if;
    return null;
  end
  $fn$;
  create trigger protect_buckets_delete before delete on storage.buckets
    for each statement execute function storage.protect_delete();
  create trigger protect_objects_delete before delete on storage.objects
    for each statement execute function storage.protect_delete();

  alter table storage.buckets owner to supabase_storage_admin;
  alter table storage.objects owner to supabase_storage_admin;
  alter function storage.foldername(text) owner to supabase_storage_admin;
  alter function storage.filename(text) owner to supabase_storage_admin;
  alter function storage.extension(text) owner to supabase_storage_admin;
  alter function storage.update_updated_at_column() owner to supabase_storage_admin;
  alter function storage.protect_delete() owner to supabase_storage_admin;
end
$$;
grant usage on schema storage to postgres, anon, authenticated, service_role;
grant all on schema storage to supabase_storage_admin;
grant all on storage.buckets, storage.objects to anon, authenticated, service_role, postgres;
grant execute on function storage.foldername(text), storage.filename(text), storage.extension(text)
  to anon, authenticated, service_role, postgres;
