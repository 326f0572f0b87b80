-- The keys of a caller's JSON that only Renubu writes are one rule, the same at every door
-- (docs/business-rules.md "Keys only Renubu writes").
--
-- What and why: two tables keep keys in a caller's JSON that only the database may write: an
-- artifact's metadata (its approval log and send record, app.artifact_reserved_metadata_keys)
-- and an engagement entry's metadata (who logged it, logged_by, and the agent that did,
-- details.logged_by_agent). Artifacts compared a caller's keys without case or surrounding
-- space; engagement entries compared them exactly, so log_engagement stored details such as
-- {"Logged_By_Agent": "Renewal Bot"} or a "logged_by" of their own inside details: claims
-- nothing showed and every reader of the JSON got.
--
-- Now one function says which keys of a caller's object name a reserved one,
-- app.reserved_keys_in(value, reserved) (lower-cased and trimmed, as artifacts did), and one
-- refuses them, app.refuse_reserved_keys (22023 "<argument>.<key> cannot be set"):
-- * artifacts: app.refuse_reserved_artifact_metadata asks it (words and hint as before);
-- * engagement entries: the keys are listed once, app.entry_reserved_metadata_keys (metadata)
--   and app.entry_reserved_details_keys (details: logged_by_agent, and logged_by, which inside
--   details is a second author); log_engagement refuses them in details before anything is
--   stored; app.engagement_events_attributed refuses them from a person writing to the table
--   and app.metadata_without_attribution removes them, in any letters, from a writer with
--   nobody signed in (the ingest), whose other keys stay.
-- The other JSON a caller sends that is later read for such keys: an artifact's metadata
-- (create_artifact, update_artifact's changes.metadata, create_assistant_artifact: all through
-- app.refuse_reserved_artifact_metadata) and an entry's metadata (log_engagement, a manager's
-- own insert, the ingest: all through the trigger). Nothing else a caller sends is merged into
-- a column read for a key Renubu writes (task, execution and thread metadata are written by
-- the database only). Entries stored before are left as they were.
-- log_engagement also refuses details holding a control character or a text-direction
-- override, named as the caller sent them (`details.risk`, "a key in details"), before anything
-- is stored. The two key lists are PL/pgSQL, as every one-expression helper is (planned once
-- per connection; structure/one_expression_helpers_are_plpgsql).
-- Restated: app.refuse_reserved_artifact_metadata (20261204000800), app.metadata_without_attribution,
-- app.engagement_events_attributed and app.log_engagement (20261214500000).
-- supabase/tests/reserved_keys/one_rule_for_keys_only_renubu_writes.test.sql.

-- The keys of value (an object; anything else names none) that name one of reserved, compared
-- lower-cased and trimmed, in the object's own order.
create function app.reserved_keys_in(value jsonb, reserved text[])
returns text[]
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
begin
  if value is null or jsonb_typeof(value) <> 'object' then
    return '{}'::text[];
  end if;
  return coalesce((select array_agg(k order by n)
                     from jsonb_object_keys(value) with ordinality as o(k, n)
                    where lower(btrim(k)) = any (reserved)), '{}'::text[]);
end;
$$;
comment on function app.reserved_keys_in(jsonb, text[]) is
  'The keys of a caller''s object that name a key only Renubu writes (compared lower-cased and trimmed): the one rule for artifacts and engagement entries.';
revoke execute on function app.reserved_keys_in(jsonb, text[]) from public, anon;
grant execute on function app.reserved_keys_in(jsonb, text[]) to authenticated, service_role;

-- 22023 naming the first reserved key of a caller's object.
create function app.refuse_reserved_keys(value jsonb, reserved text[], argument text, hint text)
returns void
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_found text[] := app.reserved_keys_in(value, reserved);
begin
  if cardinality(v_found) > 0 then
    raise exception '%.% cannot be set', argument, v_found[1] using errcode = '22023', hint = refuse_reserved_keys.hint;
  end if;
end;
$$;
comment on function app.refuse_reserved_keys(jsonb, text[], text, text) is
  'Raises 22023 "<argument>.<key> cannot be set" when a caller''s object names a reserved key (app.reserved_keys_in).';
revoke execute on function app.refuse_reserved_keys(jsonb, text[], text, text) from public, anon;
grant execute on function app.refuse_reserved_keys(jsonb, text[], text, text) to authenticated, service_role;

create or replace function app.refuse_reserved_artifact_metadata(metadata jsonb, argument text)
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  perform app.refuse_reserved_keys(refuse_reserved_artifact_metadata.metadata, app.artifact_reserved_metadata_keys(),
    refuse_reserved_artifact_metadata.argument,
    format('%s are kept by Renubu itself; approve or withdraw with approve_artifact.',
           array_to_string(app.artifact_reserved_metadata_keys(), ', ')));
end;
$$;

-- The keys of an engagement entry's metadata Renubu sets: who logged it.
create function app.entry_reserved_metadata_keys()
returns text[]
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
begin
  return array['logged_by'];
end;
$$;
comment on function app.entry_reserved_metadata_keys() is
  'The keys of an engagement entry''s metadata only Renubu sets (logged_by: the person who logged it).';
grant execute on function app.entry_reserved_metadata_keys() to authenticated, service_role;

-- And of its details: the agent that logged it, and no second author.
create function app.entry_reserved_details_keys()
returns text[]
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
begin
  return array['logged_by_agent', 'logged_by'];
end;
$$;
comment on function app.entry_reserved_details_keys() is
  'The keys of an engagement entry''s details only Renubu sets (logged_by_agent; logged_by, which belongs to the metadata, not the details).';
grant execute on function app.entry_reserved_details_keys() to authenticated, service_role;

create or replace function app.metadata_without_attribution(metadata jsonb)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_kept jsonb := metadata - app.reserved_keys_in(metadata, app.entry_reserved_metadata_keys());
begin
  return case when jsonb_typeof(v_kept -> 'details') = 'object'
              then jsonb_set(v_kept, '{details}',
                             (v_kept -> 'details') - app.reserved_keys_in(v_kept -> 'details', app.entry_reserved_details_keys()))
              else v_kept end;
end;
$$;
comment on function app.metadata_without_attribution(jsonb) is
  'An engagement entry''s metadata without the keys Renubu sets, in any letters (app.entry_reserved_metadata_keys, app.entry_reserved_details_keys).';

-- 22023 when a person's own metadata or details name a key Renubu sets.
create function app.refuse_entry_attribution(metadata jsonb, argument text)
returns void
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_hint text := 'Who logged an entry is the signed-in person, and the agent the MCP server names when an agent logged it.';
begin
  if argument = 'details' then
    perform app.refuse_reserved_keys(metadata, app.entry_reserved_details_keys(), argument, v_hint);
    return;
  end if;
  perform app.refuse_reserved_keys(metadata, app.entry_reserved_metadata_keys(), argument, v_hint);
  perform app.refuse_reserved_keys(metadata -> 'details', app.entry_reserved_details_keys(), argument || '.details', v_hint);
end;
$$;
comment on function app.refuse_entry_attribution(jsonb, text) is
  'Raises 22023 when an engagement entry''s metadata (argument ''metadata'') or its details (argument ''details'') from a person names a key Renubu sets.';
revoke execute on function app.refuse_entry_attribution(jsonb, text) from public, anon;
grant execute on function app.refuse_entry_attribution(jsonb, text) to authenticated, service_role;

create or replace function app.engagement_events_attributed()
returns trigger
language plpgsql
security definer -- asks app.calling_agent (the secret) for any writer
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
begin
  if tg_op = 'UPDATE' then
    new.metadata := app.metadata_with_attribution(app.metadata_without_attribution(new.metadata),
                                                  old.metadata -> 'logged_by', old.metadata -> 'details' -> 'logged_by_agent');
    return new;
  end if;
  if v_me is not null then
    perform app.refuse_entry_attribution(new.metadata, 'metadata');
  end if;
  new.metadata := app.metadata_with_attribution(app.metadata_without_attribution(new.metadata), to_jsonb(v_me), to_jsonb(app.calling_agent()));
  return new;
end;
$$;

-- log_engagement: details naming a key Renubu sets are refused before anything is stored (the one
-- added check, after details is known to be an object).
create or replace function app.log_engagement(customer_id uuid, kind text, occurred_at timestamptz, summary text, details jsonb, request_key text default null)
returns jsonb
language plpgsql
security definer -- the insert policy on engagement_events is managers/admins only; the checks below allow csms too
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_org uuid := app.current_org_id();
  v_role text := app.current_member_role();
  v_summary text := coalesce(app.trimmed(log_engagement.summary), '');
  v_details jsonb := coalesce(log_engagement.details, '{}'::jsonb);
  e app.engagement_events;
begin
  if v_org is null then
    raise exception 'Only members of an organisation can log activity' using errcode = '42501';
  end if;
  if v_role not in ('csm', 'manager', 'admin') then
    raise exception 'Your role may not log activity' using errcode = '42501',
      hint = 'Viewers can read a customer''s timeline but not add to it.';
  end if;
  perform app.check_request_key(log_engagement.request_key, 'idempotency_key', 200);
  -- Logged already under this key (an answer lost on its way back): that entry, if it is the
  -- same request, by the same agent or none. When it happened is not compared: a form left at
  -- "now" sends the time of each send.
  if log_engagement.request_key is not null then
    select * into e from app.engagement_events x
     where x.org_id = v_org and x.metadata ->> 'logged_by' = v_me::text and x.request_key = log_engagement.request_key;
    if found then
      if e.customer_id is distinct from log_engagement.customer_id or e.event_type is distinct from log_engagement.kind
         or e.description is distinct from v_summary
         or app.metadata_without_attribution(e.metadata) -> 'details' is distinct from v_details
         or e.metadata -> 'details' ->> 'logged_by_agent' is distinct from app.calling_agent() then
        raise exception 'this key was used for a different request' using errcode = 'PT409',
          hint = 'Send a new idempotency_key for a new entry.';
      end if;
      return jsonb_build_object(
        'id', e.id, 'customer_id', e.customer_id, 'kind', e.event_type, 'occurred_at', e.occurred_at,
        'summary', e.description, 'details', e.metadata -> 'details', 'logged_by', v_me, 'created_at', e.created_at);
    end if;
  end if;
  if log_engagement.customer_id is null then
    raise exception 'customer_id is required' using errcode = '22023';
  end if;
  if not exists (select 1 from app.customers c where c.id = log_engagement.customer_id and c.org_id = v_org) then
    raise exception 'Customer not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see customers of your own organisation.';
  end if;
  if log_engagement.kind is null or log_engagement.kind not in ('note', 'call', 'meeting', 'email') then
    raise exception 'kind must be note, call, meeting or email' using errcode = '22023';
  end if;
  if log_engagement.occurred_at is null then
    raise exception 'occurred_at is required' using errcode = '22023', hint = 'When did it happen?';
  end if;
  -- What happened, not what is planned (a few minutes' grace for a skewed clock).
  if log_engagement.occurred_at > now() + interval '5 minutes' or log_engagement.occurred_at < now() - interval '10 years' then
    raise exception 'occurred_at must be in the past (within the last ten years)' using errcode = '22023',
      hint = 'Log what happened; plan future meetings as tasks.';
  end if;
  if v_summary = '' then
    raise exception 'summary is required' using errcode = '22023', hint = 'Say in a few words what happened.';
  end if;
  if length(v_summary) > 4000 then
    raise exception 'summary must be at most 4000 characters' using errcode = '22023';
  end if;
  if jsonb_typeof(v_details) <> 'object' then
    raise exception 'details must be a JSON object' using errcode = '22023';
  end if;
  perform app.refuse_entry_attribution(v_details, 'details');
  -- Named as the caller sent them (details.risk), where the column's check constraint
  -- (20261216700000) would name metadata.details.risk, which the caller never wrote.
  perform app.require_displayable_json(v_details, 'details');
  if length(v_details::text) > 16000 then
    raise exception 'details must be at most 16 kB' using errcode = '22023';
  end if;

  begin
    -- Who logged it, the person and any agent, is engagement_events_attributed's to add.
    insert into app.engagement_events (org_id, customer_id, event_type, occurred_at, title, description, metadata, source, request_key)
    values (v_org, log_engagement.customer_id, log_engagement.kind, log_engagement.occurred_at,
            left(split_part(v_summary, E'\n', 1), 200), v_summary,
            jsonb_build_object('details', v_details), 'manual', log_engagement.request_key)
    returning * into e;
  exception when unique_violation then
    -- Another call with this key logged its entry first: answer with that one.
    if log_engagement.request_key is null then
      raise;
    end if;
    return app.log_engagement(log_engagement.customer_id, log_engagement.kind, log_engagement.occurred_at,
                              log_engagement.summary, log_engagement.details, log_engagement.request_key);
  end;

  return jsonb_build_object(
    'id', e.id, 'customer_id', e.customer_id, 'kind', e.event_type, 'occurred_at', e.occurred_at,
    'summary', e.description, 'details', e.metadata -> 'details', 'logged_by', v_me, 'created_at', e.created_at);
end;
$$;
