-- A list a caller sends holds at most 1000 entries (docs/api-contract.md "Errors").
--
-- What and why: every list argument took any length. mark_notifications_read with 100 000
-- notification ids (a 4 MB body) kept its connection busy for seconds and answered 200, and
-- so did 100 000 copies of a queue, customer or task filter value (get_workflow_queue,
-- list_customers, list_tasks) or of a timeline kind (get_customer_timeline): bad input any
-- signed-in person could send over and over, each entry read and checked. Now more than 1000
-- entries is 22023 "<argument> holds more than 1000 entries", before any entry is read, by
-- one rule (app.check_list_size) that both list readers ask: app.json_text_list (and through
-- it app.json_id_list: kinds, notification_ids, reassign_workflows' execution_ids) and
-- app.queue_filter_values (every filters list). No list a screen sends comes near the bound:
-- a page of notifications, a handful of filter values, at most 200 workflows (reassign_workflows'
-- own bound, which still speaks up to 1000).
-- app.json_text_list restated whole from 20261206282000, app.queue_filter_values from
-- 20261204000500; the check_list_size call is the one change in each.
-- supabase/tests/structure/list_arguments_are_bounded.test.sql.

create function app.check_list_size(value jsonb, argument text)
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  if jsonb_typeof(check_list_size.value) = 'array' and jsonb_array_length(check_list_size.value) > 1000 then
    raise exception '% holds more than 1000 entries', check_list_size.argument using errcode = '22023',
      hint = format('Send at most 1000 entries in %s.', check_list_size.argument);
  end if;
end;
$$;
comment on function app.check_list_size(jsonb, text) is
  'The bound of every list argument, written once: a JSON array of more than 1000 entries is 22023 naming the argument.';
revoke execute on function app.check_list_size(jsonb, text) from public, anon;
grant execute on function app.check_list_size(jsonb, text) to authenticated, service_role;

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
  perform app.check_list_size(json_text_list.value, json_text_list.argument);
  if jsonb_typeof(json_text_list.value) <> 'array'
     or exists (select 1 from jsonb_array_elements(json_text_list.value) x where jsonb_typeof(x) <> 'string') then
    raise exception '% must be a list of strings', json_text_list.argument using errcode = '22023',
      hint = format('Send %s as a JSON array of strings, or null.', json_text_list.argument);
  end if;
  return array(select x from jsonb_array_elements_text(json_text_list.value) x);
end;
$$;

create or replace function app.queue_filter_values(filters jsonb, key text, allowed text[])
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
declare
  v jsonb := queue_filter_values.filters -> queue_filter_values.key;
  bad text;
  result text[];
begin
  if v is null or v = 'null'::jsonb then
    return null;
  end if;
  if jsonb_typeof(v) <> 'array' then
    raise exception 'filters.% must be an array of strings', queue_filter_values.key using errcode = '22023',
      hint = format('For example {"%s": ["%s"]}; allowed: %s.', queue_filter_values.key, queue_filter_values.allowed[1],
                    array_to_string(queue_filter_values.allowed, ', '));
  end if;
  perform app.check_list_size(v, 'filters.' || queue_filter_values.key);
  if exists (select 1 from jsonb_array_elements(v) x where jsonb_typeof(x) <> 'string') then
    raise exception 'filters.% must be an array of strings', queue_filter_values.key using errcode = '22023',
      hint = format('Allowed values: %s.', array_to_string(queue_filter_values.allowed, ', '));
  end if;
  select x into bad from jsonb_array_elements_text(v) x where x <> all(queue_filter_values.allowed) limit 1;
  if bad is not null then
    raise exception 'filters.% has an unknown value "%"', queue_filter_values.key, left(bad, 60) using errcode = '22023',
      hint = format('Allowed values: %s.', array_to_string(queue_filter_values.allowed, ', '));
  end if;
  select array_agg(distinct x) into result from jsonb_array_elements_text(v) x;
  return result;  -- an empty array is no filter
end;
$$;
