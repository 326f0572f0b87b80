-- A history passage carries its source's subtype, so every place names it as the timeline does.
--
-- What and why (docs/customer-intelligence.md, docs/ai-assistant.md): the history search and a
-- chat's citations said "Activity" for every engagement — a support ticket, a call, an NPS
-- answer — where the timeline says "Support ticket", "Call", "NPS": the passages carried their
-- kind (engagement) but not the event's type, so the web app and the built-in model could not
-- name it. search_customer_history's results and the passages a chat's prompt takes
-- (app.chat_history_for_prompt, which its citations are copied from) now carry
-- `source_subtype` (app.history_source_subtype: an engagement's event_type, else null), and one
-- label mapping in functions-shared (historySourceLabel) names a passage everywhere.
-- Restated whole from 20261206226000 (search_customer_history) and 20261204000800
-- (app.chat_history_for_prompt); the added field is the only change.
-- supabase/tests/search_customer_history/a_passage_names_its_subtype.test.sql.

-- A history source's subtype: an engagement's type (note, call, support_ticket…), else null.
create function app.history_source_subtype(source_kind text, source_id uuid)
returns text
language plpgsql
stable
set search_path = ''
as $$
begin
  if history_source_subtype.source_kind is distinct from 'engagement' then
    return null;
  end if;
  return (select e.event_type from app.engagement_events e where e.id = history_source_subtype.source_id);
end;
$$;
revoke execute on function app.history_source_subtype(text, uuid) from public, anon;
grant execute on function app.history_source_subtype(text, uuid) to authenticated, service_role;

create or replace function public.search_customer_history(customer_id uuid, query text, max_results integer default 8)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  customer app.customers;
  tsq tsquery;
begin
  if search_customer_history.customer_id is null then
    raise exception 'customer_id is required' using errcode = '22023', hint = 'Pass the id of a customer.';
  end if;
  if app.trimmed(search_customer_history.query) is null then
    raise exception 'query must not be empty' using errcode = '22023', hint = 'Type the words to look for, e.g. "pricing objection".';
  end if;
  if length(search_customer_history.query) > 500 then
    raise exception 'query is longer than 500 characters' using errcode = '22023', hint = 'Shorten the search.';
  end if;
  if search_customer_history.max_results is null or search_customer_history.max_results not between 1 and 50 then
    raise exception 'max_results must be between 1 and 50' using errcode = '22023', hint = 'Leave max_results out for 8.';
  end if;

  select c.* into customer from app.customers c where c.id = search_customer_history.customer_id;
  perform app.require_found(found, 'Customer', 'customer', 'customers');

  tsq := websearch_to_tsquery('english'::regconfig, search_customer_history.query);
  if numnode(tsq) = 0 then
    return '[]'::jsonb; -- only stop words: nothing to look for
  end if;

  return coalesce((
    select jsonb_agg(jsonb_build_object(
             'source_kind', r.source_kind, 'source_subtype', app.history_source_subtype(r.source_kind, r.source_id),
             'source_id', r.source_id, 'occurred_at', r.occurred_at,
             'title', r.title, 'snippet', r.snippet, 'rank', round(r.rank::numeric, 4))
             order by r.rank desc, r.occurred_at desc, r.source_id)
      from app.search_history_passages(customer.org_id, customer.id, tsq, search_customer_history.max_results) r
  ), '[]'::jsonb);
end;
$$;


create or replace function app.chat_history_for_prompt(org_id uuid, customer_id uuid, question text, with_matches boolean)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  tsq tsquery := case when with_matches then app.history_question_query(question) end;
  matched jsonb := '[]'::jsonb;
  recent jsonb;
begin
  if tsq is not null then
    select coalesce(jsonb_agg(jsonb_build_object(
             'source_kind', r.source_kind, 'source_subtype', app.history_source_subtype(r.source_kind, r.source_id),
             'source_id', r.source_id, 'occurred_at', r.occurred_at,
             'title', r.title, 'text', r.snippet, 'matched', true, 'rank', round(r.rank::numeric, 4))
             order by r.rank desc, r.occurred_at desc, r.source_id), '[]'::jsonb)
      into matched
      from app.search_history_passages(chat_history_for_prompt.org_id, chat_history_for_prompt.customer_id, tsq, 5) r;
  end if;
  select coalesce(jsonb_agg(jsonb_build_object(
           'source_kind', h.source_kind, 'source_subtype', app.history_source_subtype(h.source_kind, h.source_id),
           'source_id', h.source_id, 'occurred_at', h.occurred_at,
           'title', h.title, 'text', left(h.body, 400), 'matched', false) order by h.occurred_at desc), '[]'::jsonb)
    into recent
    from (
      select p.source_kind, p.source_id, p.occurred_at, p.title, p.body
        from app.customer_history_passages p
       where p.org_id = chat_history_for_prompt.org_id and p.customer_id = chat_history_for_prompt.customer_id
         and p.occurred_at <= now() and p.source_kind in ('engagement', 'email')
         and not exists (select 1 from jsonb_array_elements(matched) m where (m ->> 'source_id')::uuid = p.source_id)
       order by p.occurred_at desc
       limit 3
    ) h;
  return matched || recent;
end;
$$;

