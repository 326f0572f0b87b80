-- History search: one full-text index over everything Renubu holds about a customer
-- (docs/ai-assistant.md "History search"): engagement events, emails sent, approved artifacts, chat
-- thread summaries and contract text, searchable with `search_customer_history`.
--
-- Why this shape:
-- - One passage per source row (`source_kind`, `source_id` unique), upserted by
--   `app.index_customer_history`, so every source keeps its passage current the same way
--   and a contract's text can be added by the contracts code without a new table here.
-- - The tsvector is a stored generated column (title weighted above body), so it can never
--   drift from the text; a GIN index serves `@@`, and (org_id, customer_id, occurred_at)
--   leads every read, so a search costs what one customer's history costs.
-- - The passages are filled by statement-level triggers on the sources (transition
--   tables: one set-based statement per write, so the 100k scale seed's 600k engagement
--   events index in one pass) and by a backfill at the end of this migration.
-- - Visible under the same rule as the sources it copies: members read their own
--   organisation's rows. Only the triggers (security definer) write it.

create table app.customer_history_passages (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  customer_id uuid not null,
  source_kind text not null,
  source_id uuid not null,
  occurred_at timestamptz not null,
  title text not null default '',
  body text not null default '',
  search tsvector generated always as (
    setweight(to_tsvector('english'::regconfig, title), 'A') || setweight(to_tsvector('english'::regconfig, body), 'B')
  ) stored,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint customer_history_passages_source_kind_is_known check (source_kind in (
    'engagement', 'email', 'artifact', 'thread_summary', 'contract')),
  constraint customer_history_passages_body_is_bounded check (length(body) <= 60000),
  constraint customer_history_passages_one_per_source unique (source_kind, source_id),
  constraint customer_history_passages_customer_is_in_organisation foreign key (customer_id, org_id)
    references app.customers (id, org_id) on delete cascade
);
create index customer_history_passages_customer_idx
  on app.customer_history_passages (org_id, customer_id, occurred_at desc);
create index customer_history_passages_customer_id_org_id_idx
  on app.customer_history_passages (customer_id, org_id);
create index customer_history_passages_search_idx on app.customer_history_passages using gin (search);
comment on table app.customer_history_passages is
  'Full-text passages of a customer''s history (engagement, emails sent, approved artifacts, thread summaries, contracts), one per source row.';

create trigger customer_history_passages_touch_updated_at before update on app.customer_history_passages
  for each row execute function app.touch_updated_at();

alter table app.customer_history_passages enable row level security;
create policy "Members can read their organisation's customer history"
  on app.customer_history_passages for select to authenticated
  using (org_id = (select app.current_org_id()));
grant select on app.customer_history_passages to authenticated;
grant select, insert, update, delete on app.customer_history_passages to service_role;

-- All string values of a JSON document, in document order: the text of an artifact.
create or replace function app.jsonb_text(doc jsonb)
returns text
language sql
immutable
set search_path = ''
as $$
  select coalesce(string_agg(v #>> '{}', E'\n'), '')
    from jsonb_path_query(coalesce(doc, 'null'::jsonb), 'strict $.** ? (@.type() == "string")') v
$$;
grant execute on function app.jsonb_text(jsonb) to authenticated, service_role;

-- ---------------------------------------------------------------------------------
-- app.index_customer_history: upsert one passage by its source
-- ---------------------------------------------------------------------------------
-- For code that owns a source (the contracts code indexes contract text with
-- source_kind 'contract'). Call it from a security definer function or as the service
-- role; a null or blank body removes the passage. A source id already indexed for
-- another organisation is never moved across (the update matches org_id too).
create or replace function app.index_customer_history(
  p_org_id uuid,
  p_customer_id uuid,
  p_source_kind text,
  p_source_id uuid,
  p_occurred_at timestamptz,
  p_title text,
  p_body text
)
returns void
language plpgsql
volatile
security definer -- writes the passages table, which has no write policy for people
set search_path = ''
as $$
begin
  if p_org_id is null or p_customer_id is null or p_source_id is null or p_source_kind is null then
    raise exception 'org, customer, source kind and source id are required' using errcode = '22023',
      hint = 'Pass the ids of the row being indexed.';
  end if;
  if nullif(btrim(coalesce(p_title, '') || coalesce(p_body, '')), '') is null then
    delete from app.customer_history_passages h
     where h.source_kind = p_source_kind and h.source_id = p_source_id and h.org_id = p_org_id;
    return;
  end if;
  insert into app.customer_history_passages as h (org_id, customer_id, source_kind, source_id, occurred_at, title, body)
  values (p_org_id, p_customer_id, p_source_kind, p_source_id, coalesce(p_occurred_at, now()),
          left(coalesce(p_title, ''), 500), left(coalesce(p_body, ''), 60000))
  on conflict (source_kind, source_id) do update
     set customer_id = excluded.customer_id, occurred_at = excluded.occurred_at,
         title = excluded.title, body = excluded.body
   where h.org_id = excluded.org_id;
end;
$$;
comment on function app.index_customer_history(uuid, uuid, text, uuid, timestamptz, text, text) is
  'Upserts the history passage of one source row (source_kind engagement/email/artifact/thread_summary/contract); a blank text removes it.';
revoke execute on function app.index_customer_history(uuid, uuid, text, uuid, timestamptz, text, text) from public, anon, authenticated;
grant execute on function app.index_customer_history(uuid, uuid, text, uuid, timestamptz, text, text) to service_role;

-- ---------------------------------------------------------------------------------
-- What each source contributes (one select per kind, used by triggers and the backfill)
-- ---------------------------------------------------------------------------------

-- Engagement events: notes, calls, meetings, tickets, NPS.
create or replace function app.history_engagement_text(e app.engagement_events)
returns text
language sql
immutable
set search_path = ''
as $$
  select concat_ws(E'\n',
    nullif(e.description, ''),
    case when e.nps_score is not null then format('NPS score %s', e.nps_score) end,
    case when e.ticket_status is not null then format('Ticket status: %s', e.ticket_status) end,
    nullif(e.metadata ->> 'summary', ''),
    nullif(e.metadata ->> 'notes', ''))
$$;
grant execute on function app.history_engagement_text(app.engagement_events) to authenticated, service_role;

create or replace function app.history_engagement_title(e app.engagement_events)
returns text
language sql
immutable
set search_path = ''
as $$
  select coalesce(nullif(e.title, ''), initcap(replace(e.event_type, '_', ' ')))
$$;
grant execute on function app.history_engagement_title(app.engagement_events) to authenticated, service_role;

-- Engagement events: statement-level, set-based.
create or replace function app.index_engagement_history()
returns trigger
language plpgsql
security definer -- writes the passages table, which has no write policy for people
set search_path = ''
as $$
begin
  if tg_op = 'DELETE' then
    delete from app.customer_history_passages h
     using old_rows o
     where h.source_kind = 'engagement' and h.source_id = o.id;
    return null;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into app.customer_history_passages as h (org_id, customer_id, source_kind, source_id, occurred_at, title, body)
    select n.org_id, n.customer_id, 'engagement', n.id, n.occurred_at,
           left(app.history_engagement_title(n), 500),
           left(coalesce(app.history_engagement_text(n), ''), 60000)
      from new_rows n
    on conflict (source_kind, source_id) do update
       set customer_id = excluded.customer_id, occurred_at = excluded.occurred_at,
           title = excluded.title, body = excluded.body
     where h.org_id = excluded.org_id
       and (h.title, h.body, h.occurred_at, h.customer_id) is distinct from
           (excluded.title, excluded.body, excluded.occurred_at, excluded.customer_id);
  end if;
  return null;
end;
$$;

create trigger engagement_events_index_history_on_insert after insert on app.engagement_events
  referencing new table as new_rows
  for each statement execute function app.index_engagement_history();
create trigger engagement_events_index_history_on_update after update on app.engagement_events
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.index_engagement_history();
create trigger engagement_events_index_history_on_delete after delete on app.engagement_events
  referencing old table as old_rows
  for each statement execute function app.index_engagement_history();

-- Emails: indexed once sent (the customer is the workflow's).
create or replace function app.index_email_history()
returns trigger
language plpgsql
security definer -- writes the passages table, which has no write policy for people
set search_path = ''
as $$
begin
  if new.status = 'sent' and new.execution_id is not null
     and (tg_op = 'INSERT' or old.status is distinct from 'sent' or old.subject is distinct from new.subject
          or old.body_text is distinct from new.body_text) then
    insert into app.customer_history_passages as h (org_id, customer_id, source_kind, source_id, occurred_at, title, body)
    select new.org_id, e.customer_id, 'email', new.id, coalesce(new.sent_at, now()),
           left(new.subject, 500),
           left(concat_ws(E'\n', 'To: ' || array_to_string(new.to_addresses, ', '), new.body_text), 60000)
      from app.workflow_executions e
     where e.id = new.execution_id and e.org_id = new.org_id
    on conflict (source_kind, source_id) do update
       set occurred_at = excluded.occurred_at, title = excluded.title, body = excluded.body
     where h.org_id = excluded.org_id;
  end if;
  return null;
end;
$$;

create trigger email_outbox_index_history after insert or update of status, subject, body_text on app.email_outbox
  for each row execute function app.index_email_history();

-- Artifacts: approved ones, and the AI summary of a chat thread (a thread summary is
-- history as soon as it is written). Withdrawing approval removes the passage.
create or replace function app.index_artifact_history()
returns trigger
language plpgsql
security definer -- writes the passages table, which has no write policy for people
set search_path = ''
as $$
declare
  kind text := case when new.artifact_type = 'summary' and new.thread_id is not null then 'thread_summary' else 'artifact' end;
begin
  if new.approved_at is not null or kind = 'thread_summary' then
    insert into app.customer_history_passages as h (org_id, customer_id, source_kind, source_id, occurred_at, title, body)
    select new.org_id, e.customer_id, kind, new.id, coalesce(new.approved_at, new.created_at),
           left(new.title, 500), left(app.jsonb_text(new.content), 60000)
      from app.workflow_executions e
     where e.id = new.execution_id and e.org_id = new.org_id
    on conflict (source_kind, source_id) do update
       set occurred_at = excluded.occurred_at, title = excluded.title, body = excluded.body
     where h.org_id = excluded.org_id;
  elsif tg_op = 'UPDATE' then
    delete from app.customer_history_passages h where h.source_kind = 'artifact' and h.source_id = new.id;
  end if;
  return null;
end;
$$;

create trigger workflow_task_artifacts_index_history
  after insert or update of approved_at, title, content on app.workflow_task_artifacts
  for each row execute function app.index_artifact_history();

-- Deleting a source row removes its passage (engagement has its own statement trigger;
-- customers cascade through the foreign key).
create or replace function app.forget_history_source()
returns trigger
language plpgsql
security definer -- writes the passages table, which has no write policy for people
set search_path = ''
as $$
begin
  delete from app.customer_history_passages h
   where h.source_kind = any (tg_argv) and h.source_id = old.id;
  return null;
end;
$$;

create trigger email_outbox_forget_history after delete on app.email_outbox
  for each row execute function app.forget_history_source('email');
create trigger workflow_task_artifacts_forget_history after delete on app.workflow_task_artifacts
  for each row execute function app.forget_history_source('artifact', 'thread_summary');

-- ---------------------------------------------------------------------------------
-- Backfill: everything already stored
-- ---------------------------------------------------------------------------------
insert into app.customer_history_passages (org_id, customer_id, source_kind, source_id, occurred_at, title, body)
select e.org_id, e.customer_id, 'engagement', e.id, e.occurred_at,
       left(app.history_engagement_title(e), 500), left(coalesce(app.history_engagement_text(e), ''), 60000)
  from app.engagement_events e
on conflict (source_kind, source_id) do nothing;

insert into app.customer_history_passages (org_id, customer_id, source_kind, source_id, occurred_at, title, body)
select o.org_id, x.customer_id, 'email', o.id, coalesce(o.sent_at, o.updated_at), left(o.subject, 500),
       left(concat_ws(E'\n', 'To: ' || array_to_string(o.to_addresses, ', '), o.body_text), 60000)
  from app.email_outbox o
  join app.workflow_executions x on x.id = o.execution_id and x.org_id = o.org_id
 where o.status = 'sent'
on conflict (source_kind, source_id) do nothing;

insert into app.customer_history_passages (org_id, customer_id, source_kind, source_id, occurred_at, title, body)
select a.org_id, x.customer_id,
       case when a.artifact_type = 'summary' and a.thread_id is not null then 'thread_summary' else 'artifact' end,
       a.id, coalesce(a.approved_at, a.created_at), left(a.title, 500), left(app.jsonb_text(a.content), 60000)
  from app.workflow_task_artifacts a
  join app.workflow_executions x on x.id = a.execution_id and x.org_id = a.org_id
 where a.approved_at is not null or (a.artifact_type = 'summary' and a.thread_id is not null)
on conflict (source_kind, source_id) do nothing;

-- ---------------------------------------------------------------------------------
-- Search
-- ---------------------------------------------------------------------------------

-- The best passages of one customer for a tsquery, ranked (title matches weigh more,
-- then the newer passage). Security invoker: row-level security applies to the caller.
create or replace function app.search_history_passages(p_org_id uuid, p_customer_id uuid, p_query tsquery, p_limit integer)
returns table (source_kind text, source_id uuid, occurred_at timestamptz, title text, snippet text, rank real)
language sql
stable
set search_path = ''
as $$
  select top.source_kind, top.source_id, top.occurred_at, top.title,
         ts_headline('english'::regconfig, left(top.body, 5000), p_query,
                     'MaxWords=35, MinWords=12, MaxFragments=2, FragmentDelimiter=" … ", StartSel=**, StopSel=**') as snippet,
         top.rank
    from (
      select h.source_kind, h.source_id, h.occurred_at, h.title,
             case when h.body = '' then h.title else h.body end as body,
             ts_rank_cd(h.search, p_query, 1)::real as rank
        from app.customer_history_passages h
       where h.org_id = p_org_id and h.customer_id = p_customer_id and h.search @@ p_query
       order by rank desc, h.occurred_at desc, h.source_id
       limit p_limit
    ) top
   order by top.rank desc, top.occurred_at desc, top.source_id
$$;
grant execute on function app.search_history_passages(uuid, uuid, tsquery, integer) to authenticated, service_role;

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
  if search_customer_history.query is null or btrim(search_customer_history.query) = '' then
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
             'source_kind', r.source_kind, 'source_id', r.source_id, 'occurred_at', r.occurred_at,
             'title', r.title, 'snippet', r.snippet, 'rank', round(r.rank::numeric, 4))
             order by r.rank desc, r.occurred_at desc, r.source_id)
      from app.search_history_passages(customer.org_id, customer.id, tsq, search_customer_history.max_results) r
  ), '[]'::jsonb);
end;
$$;
comment on function public.search_customer_history(uuid, text, integer) is
  'Full-text search over one customer''s history (websearch syntax): [{source_kind, source_id, occurred_at, title, snippet, rank}], best first.';
revoke execute on function public.search_customer_history(uuid, text, integer) from public, anon;
grant execute on function public.search_customer_history(uuid, text, integer) to authenticated;
