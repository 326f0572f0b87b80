-- A list argument of an RPC (get_customer_timeline's kinds, mark_notifications_read's
-- notification_ids) is read by the function, so a list nested in lists is bad input
-- (22023 naming it), never a 500 (docs/api-contract.md "Errors").
--
-- What and why: the two took a Postgres array (text[], uuid[]). The Data API (PostgREST,
-- and the local gateway as it does) turns a JSON argument into its parameter's type
-- before the function runs (json_to_record), and a JSON array nested seven levels or more
-- is an array of more dimensions than Postgres allows: `{"kinds": [[[[[[["email"]]]]]]]}`
-- failed with 54000 "number of array dimensions (7) exceeds the maximum allowed (6)",
-- which PostgREST answers as 500 (54* is "too complex"), on hosted Supabase as locally; a
-- list of lists of two to six levels was read as a flat list. No check inside a function
-- can run before that conversion, so the parameters are jsonb now, and the function
-- checks them: a list of strings (kinds), a list of ids (notification_ids), or null; any
-- other JSON, a list within the list included, is 22023 naming the argument. Callers send
-- the same JSON as before (functions-shared/api: z.array), so nothing changes for a
-- well-formed call. The old signatures are dropped (two functions of one name and the
-- same argument names would be ambiguous to the Data API).
--
-- public.get_customer_timeline restated whole from 20261204233000 and
-- public.mark_notifications_read from 20261204001000; the parameter's type and reading it
-- (app.json_text_list, app.json_id_list) are the only changes. The third array parameter
-- of the API, record_contract_extraction's pages, is the service role's (the
-- extract-contract function builds it), not a caller's.
-- supabase/tests/structure/list_arguments_are_read_as_json.test.sql.

-- A JSON argument that should be a list of strings, as text[]: null (or JSON null) is null;
-- anything but an array of strings is 22023 naming the argument.
create or replace function app.json_text_list(value jsonb, argument text)
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
begin
  if json_text_list.value is null or jsonb_typeof(json_text_list.value) = 'null' then
    return null;
  end if;
  if jsonb_typeof(json_text_list.value) <> 'array'
     or exists (select 1 from jsonb_array_elements(json_text_list.value) x where jsonb_typeof(x) <> 'string') then
    raise exception '% must be a list of strings', json_text_list.argument using errcode = '22023',
      hint = format('Send %s as a JSON array of strings, or null.', json_text_list.argument);
  end if;
  return array(select x from jsonb_array_elements_text(json_text_list.value) x);
end;
$$;
comment on function app.json_text_list(jsonb, text) is
  'A list argument read from JSON: an array of strings as text[], null as null; anything else is 22023 naming the argument.';
revoke execute on function app.json_text_list(jsonb, text) from public, anon;
grant execute on function app.json_text_list(jsonb, text) to authenticated, service_role;

-- A JSON argument that should be a list of ids, as uuid[]: a list of strings (json_text_list)
-- each of which is an id.
create or replace function app.json_id_list(value jsonb, argument text)
returns uuid[]
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_list constant text[] := app.json_text_list(json_id_list.value, json_id_list.argument);
  v_bad text;
begin
  select x into v_bad from unnest(v_list) x
   where x !~* '^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$' limit 1;
  if found then
    raise exception '% holds "%", which is not an id', json_id_list.argument, left(v_bad, 60) using errcode = '22023',
      hint = 'Send the ids as they were listed, such as ["3f1c…"].';
  end if;
  return v_list::uuid[];
end;
$$;
comment on function app.json_id_list(jsonb, text) is
  'A list argument of ids read from JSON: an array of id strings as uuid[], null as null; anything else is 22023 naming the argument.';
revoke execute on function app.json_id_list(jsonb, text) from public, anon;
grant execute on function app.json_id_list(jsonb, text) to authenticated, service_role;

drop function public.get_customer_timeline(uuid, integer, text, text[]);
create or replace function public.get_customer_timeline(
  customer_id uuid,
  page_size integer default 50,
  cursor text default null,
  kinds jsonb default null
)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  r app.timeline_request;
begin
  r.org_id := app.current_org_id();
  if r.org_id is null then
    raise exception 'Only members of an organisation can read timelines' using errcode = '42501';
  end if;
  if get_customer_timeline.customer_id is null then
    raise exception 'customer_id is required' using errcode = '22023';
  end if;
  perform app.check_page_size(get_customer_timeline.page_size, 200, 'Ask for at most 200 entries and follow next_cursor.');
  r.want := app.timeline_wanted_kinds(app.json_text_list(get_customer_timeline.kinds, 'kinds'));
  select c.at, c.id, c.kind into r.after_at, r.after_id, r.after_kind from app.timeline_cursor(get_customer_timeline.cursor) c;
  -- Visible (RLS) and of the caller's organisation, else PT404 (never say which).
  if not exists (select 1 from app.customers c where c.id = get_customer_timeline.customer_id and c.org_id = r.org_id) then
    raise exception 'Customer not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see customers of your own organisation.';
  end if;
  r.customer_id := get_customer_timeline.customer_id;
  r.page_size := get_customer_timeline.page_size;
  return app.timeline_page(r);
end;
$$;
comment on function public.get_customer_timeline(uuid, integer, text, jsonb) is 'A customer''s activity, newest first (keyset): engagement, workflow starts and completions, actions, emails, approved artifacts, stage, plan and forecast changes.';
revoke execute on function public.get_customer_timeline(uuid, integer, text, jsonb) from public, anon;
grant execute on function public.get_customer_timeline(uuid, integer, text, jsonb) to authenticated;

drop function public.mark_notifications_read(uuid[]);
create or replace function public.mark_notifications_read(notification_ids jsonb default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_org uuid := app.current_org_id();
  v_count integer;
  v_ids uuid[];
begin
  if v_org is null then
    raise exception 'Only members of an organisation have notifications' using errcode = '42501';
  end if;
  v_ids := app.json_id_list(mark_notifications_read.notification_ids, 'notification_ids');
  update app.notifications n
     set read_at = now()
   where n.org_id = v_org and n.user_id = v_me and n.read_at is null
     and (v_ids is null or n.id = any(v_ids));
  get diagnostics v_count = row_count;
  return jsonb_build_object('marked', v_count);
end;
$$;
comment on function public.mark_notifications_read(jsonb) is 'Marks the caller''s notifications read (null: all); returns {marked}.';
revoke execute on function public.mark_notifications_read(jsonb) from public, anon;
grant execute on function public.mark_notifications_read(jsonb) to authenticated;
