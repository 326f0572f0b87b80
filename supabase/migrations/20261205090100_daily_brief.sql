-- The daily brief (docs/daily-brief.md): each CSM's morning summary, at the organisation's
-- brief time (07:00 unless an admin changes it) in its time zone.
--
-- Facts first, prose second, and never the other way round:
--   1. app.daily_brief_facts computes, in SQL, what the brief may say: the person's top
--      queue items and why, and what changed since their previous brief — renewal stage
--      changes, health or seat-usage drops of 10 points or more, new support tickets,
--      notice deadlines within 14 days, tasks due or forced, proposals waiting.
--   2. public.store_daily_briefs (service role) stores one brief per person and local day
--      with those facts — before any model is called, so nothing is lost if it fails —
--      and returns the briefs still to be written.
--   3. The `daily-brief` Edge Function writes the prose (an LLM, or the built-in model that
--      renders the facts deterministically); every sentence names the fact ids it rests on,
--      and public.write_daily_briefs refuses a sentence that cites a fact the brief does
--      not hold. It also queues the brief by email for people whose `emailDigest`
--      preference asks for it (daily, or weekly on Mondays), through the outbox.
--
-- Scheduling: pg_cron asks the function every 15 minutes (net.http_post with the Vault
-- secrets, as the outbox drain does); store_daily_briefs decides who is due, so running it
-- again, or at any hour, never makes a second brief for the same person and day.

create table app.daily_briefs (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  profile_id uuid not null,
  brief_date date not null,
  -- Changes after this moment are "since your last brief" (the previous brief's time, or a day).
  since timestamptz not null,
  generated_at timestamptz not null default now(),
  facts jsonb not null default '[]'::jsonb,
  text text,
  sentences jsonb not null default '[]'::jsonb,
  model text,
  written_at timestamptz,
  email_outbox_id uuid,
  constraint daily_briefs_one_per_person_and_day unique (profile_id, brief_date),
  constraint daily_briefs_facts_is_array check (jsonb_typeof(facts) = 'array'),
  constraint daily_briefs_sentences_is_array check (jsonb_typeof(sentences) = 'array'),
  constraint daily_briefs_written_has_text check (written_at is null or text is not null),
  constraint daily_briefs_profile_is_in_organisation foreign key (profile_id, org_id)
    references app.profiles (id, org_id) on delete cascade,
  constraint daily_briefs_email_outbox_id_fkey foreign key (email_outbox_id)
    references app.email_outbox (id) on delete set null
);
-- Leads with the foreign key (profile_id, org_id): "my newest brief" and the FK check both use it.
create index daily_briefs_profile_org_date_idx on app.daily_briefs (profile_id, org_id, brief_date desc);
create index daily_briefs_email_outbox_id_idx on app.daily_briefs (email_outbox_id) where email_outbox_id is not null;
comment on table app.daily_briefs is 'One morning brief per person and day: the facts (computed in SQL) and the prose written over them.';

alter table app.daily_briefs enable row level security;
create policy "People read their own briefs, managers and admins their organisation's"
  on app.daily_briefs for select to authenticated
  using (org_id = (select app.current_org_id())
         and (profile_id = (select auth.uid()) or (select app.has_role('manager', 'admin'))));
-- No insert, update or delete for people: only the service role writes briefs.
grant select on app.daily_briefs to authenticated;
grant select, insert, update, delete on app.daily_briefs to service_role;

-- The facts of one person's brief, numbered f1, f2, … in the order the brief tells them.
create or replace function app.daily_brief_facts(p_org_id uuid, p_profile_id uuid, p_since timestamptz, p_today date)
returns jsonb
language sql
stable
set search_path = ''
as $$
  with book as (
    select c.* from app.customers c where c.org_id = p_org_id and c.assigned_to = p_profile_id
  ),
  facts as (
    -- Top of the queue: what to open first, and why (lane, stage, decision date).
    select 1 as rank_kind, row_number() over (order by e.queue_lane, e.priority_score desc, e.id)::int as rank_in_kind,
           jsonb_build_object('kind', 'top_item', 'execution_id', e.id, 'customer_id', c.id, 'customer', c.name,
             'workflow', w.name, 'lane', app.queue_lane_name(e.queue_lane), 'stage', c.renewal_stage,
             'decision_date', c.decision_date, 'days_until_decision', c.decision_date - p_today,
             'arr', c.arr, 'priority_score', e.priority_score) as fact
      from (select e.* from app.workflow_executions e
             where e.org_id = p_org_id and e.assigned_to = p_profile_id and e.status in ('queued', 'in_progress')
             order by e.queue_lane, e.priority_score desc, e.id limit 5) e
      join app.customers c on c.id = e.customer_id and c.org_id = e.org_id
      join app.workflows w on w.id = e.workflow_id
    union all
    -- Renewal stage changes since the last brief (the latest per customer).
    select 2, row_number() over (order by x.changed_at desc)::int,
           jsonb_build_object('kind', 'stage_change', 'customer_id', b.id, 'customer', b.name,
             'from', x.old_value, 'to', x.new_value, 'at', x.changed_at)
      from book b
      join lateral (select ch.* from app.customer_changes ch
                     where ch.customer_id = b.id and ch.org_id = b.org_id and ch.field = 'renewal_stage'
                       and ch.changed_at > p_since
                     order by ch.changed_at desc limit 1) x on true
    union all
    -- Health drops of 10 points or more: the score now against the last one before `since`.
    select 3, row_number() over (order by before.health_score - b.health_score desc)::int,
           jsonb_build_object('kind', 'health_drop', 'customer_id', b.id, 'customer', b.name,
             'from', before.health_score, 'to', b.health_score, 'drop', before.health_score - b.health_score)
      from book b
      join lateral (select h.health_score from app.customer_score_history h
                     where h.customer_id = b.id and h.org_id = b.org_id and h.recorded_at <= p_since
                       and h.health_score is not null
                     order by h.recorded_at desc limit 1) before on true
     where before.health_score - b.health_score >= 10
    union all
    -- Seat usage drops of 10 points or more (active users / licensed seats, in percent).
    select 4, row_number() over (order by u_before.pct - u_now.pct desc)::int,
           jsonb_build_object('kind', 'usage_drop', 'customer_id', b.id, 'customer', b.name,
             'from', round(u_before.pct), 'to', round(u_now.pct), 'drop', round(u_before.pct - u_now.pct))
      from book b
      join lateral (select 100.0 * s.active_users / nullif(s.licensed_seats, 0) as pct from app.usage_snapshots s
                     where s.customer_id = b.id and s.org_id = b.org_id
                     order by s.recorded_at desc limit 1) u_now on u_now.pct is not null
      join lateral (select 100.0 * s.active_users / nullif(s.licensed_seats, 0) as pct from app.usage_snapshots s
                     where s.customer_id = b.id and s.org_id = b.org_id and s.recorded_at <= p_since
                     order by s.recorded_at desc limit 1) u_before on u_before.pct is not null
     where u_before.pct - u_now.pct >= 10
    union all
    -- New support tickets.
    select 5, row_number() over (order by t.created_at desc)::int,
           jsonb_build_object('kind', 'new_ticket', 'customer_id', b.id, 'customer', b.name,
             'event_id', t.id, 'title', coalesce(t.title, 'Support ticket'), 'status', t.ticket_status, 'at', t.occurred_at)
      from book b
      join app.engagement_events t on t.customer_id = b.id and t.org_id = b.org_id
     where t.event_type = 'support_ticket' and t.created_at > p_since
    union all
    -- Notice deadlines (auto-renewing contracts) within the next 14 days.
    select 6, row_number() over (order by b.decision_date, b.name)::int,
           jsonb_build_object('kind', 'notice_deadline', 'customer_id', b.id, 'customer', b.name,
             'decision_date', b.decision_date, 'renewal_date', b.renewal_date, 'days', b.decision_date - p_today, 'arr', b.arr)
      from book b
     where b.decision_date between p_today and p_today + 14 and b.decision_date <> b.renewal_date
    union all
    -- Tasks due today or earlier, or forced to action.
    select 7, row_number() over (order by k.force_action desc, k.due_date nulls last)::int,
           jsonb_build_object('kind', 'task_due', 'task_id', k.id, 'customer_id', k.customer_id,
             'customer', (select c.name from app.customers c where c.id = k.customer_id),
             'title', k.title, 'due_date', k.due_date, 'forced', k.force_action)
      from app.workflow_tasks k
     where k.org_id = p_org_id and k.assigned_to = p_profile_id
       and k.status in ('pending', 'in_progress', 'snoozed')
       and (k.force_action or k.due_date < (p_today + 1)::timestamptz)
    union all
    -- AI proposals waiting for this person's decision.
    select 8, row_number() over (order by p.created_at)::int,
           jsonb_build_object('kind', 'proposal_waiting', 'proposal_id', p.id, 'execution_id', p.execution_id,
             'customer_id', e.customer_id, 'customer', (select c.name from app.customers c where c.id = e.customer_id),
             'action_key', p.action_key, 'rationale', left(p.rationale, 300))
      from app.action_proposals p
      join app.workflow_executions e on e.id = p.execution_id and e.org_id = p.org_id
     where p.org_id = p_org_id and p.status = 'proposed' and coalesce(e.assigned_to, p.proposed_for) = p_profile_id
  ),
  capped as (
    -- A brief is short: at most 5 facts of a kind.
    select * from facts where rank_in_kind <= 5
  )
  select coalesce(jsonb_agg(fact || jsonb_build_object('id', 'f' || n) order by n), '[]'::jsonb)
    from (select fact, row_number() over (order by rank_kind, rank_in_kind) as n from capped) numbered
$$;
comment on function app.daily_brief_facts(uuid, uuid, timestamptz, date) is
  'The facts of one person''s daily brief (top items; changes since `since`), numbered f1, f2, … — the only things the brief may state.';
revoke execute on function app.daily_brief_facts(uuid, uuid, timestamptz, date) from public, anon, authenticated;
grant execute on function app.daily_brief_facts(uuid, uuid, timestamptz, date) to service_role;

-- Who is due a brief at `at`: active CSMs whose organisation's local time has passed its
-- brief time and who have no brief for that local date yet.
create or replace function app.due_daily_briefs(p_at timestamptz)
returns table (org_id uuid, profile_id uuid, brief_date date)
language sql
stable
set search_path = ''
as $$
  select p.org_id, p.id, (p_at at time zone s.time_zone)::date
    from app.profiles p
    join app.organisation_settings s on s.org_id = p.org_id
   where p.role = 'csm' and p.deactivated_at is null
     and (p_at at time zone s.time_zone)::time >= app.organisation_brief_time(p.org_id)
     and not exists (select 1 from app.daily_briefs d
                      where d.profile_id = p.id and d.brief_date = (p_at at time zone s.time_zone)::date)
$$;
revoke execute on function app.due_daily_briefs(timestamptz) from public, anon, authenticated;
grant execute on function app.due_daily_briefs(timestamptz) to service_role;

-- ---------------------------------------------------------------------------------
-- store_daily_briefs (service role only): facts stored first, then returned for writing
-- ---------------------------------------------------------------------------------
create or replace function public.store_daily_briefs(at timestamptz default now(), profile_id uuid default null)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
#variable_conflict use_column
declare
  v_at timestamptz := coalesce(store_daily_briefs.at, now());
begin
  if store_daily_briefs.profile_id is not null
     and not exists (select 1 from app.profiles p where p.id = store_daily_briefs.profile_id and p.deactivated_at is null) then
    raise exception 'No active person has this id' using errcode = 'PT404';
  end if;

  with due as (
    -- On request, one person now (whatever the hour); else everyone whose brief time has come.
    select p.org_id, p.id as profile_id, (v_at at time zone s.time_zone)::date as brief_date
      from app.profiles p join app.organisation_settings s on s.org_id = p.org_id
     where p.id = store_daily_briefs.profile_id
    union all
    select d.org_id, d.profile_id, d.brief_date from app.due_daily_briefs(v_at) d
     where store_daily_briefs.profile_id is null
  ),
  framed as (
    select due.*, coalesce((select max(b.generated_at) from app.daily_briefs b
                             where b.profile_id = due.profile_id and b.brief_date < due.brief_date),
                           v_at - interval '1 day') as since
      from due
  )
  insert into app.daily_briefs (org_id, profile_id, brief_date, since, generated_at, facts)
  select f.org_id, f.profile_id, f.brief_date, f.since, v_at,
         app.daily_brief_facts(f.org_id, f.profile_id, f.since, f.brief_date)
    from framed f
  on conflict (profile_id, brief_date) do nothing;

  -- Every brief of the day that still has no prose: the new ones and any whose writing failed.
  return coalesce((
    select jsonb_agg(jsonb_build_object('brief_id', b.id, 'profile_id', b.profile_id, 'full_name', p.full_name,
                                        'brief_date', b.brief_date, 'facts', b.facts) order by b.generated_at, b.id)
      from app.daily_briefs b join app.profiles p on p.id = b.profile_id
     where b.written_at is null and b.generated_at > v_at - interval '1 day'
       and (store_daily_briefs.profile_id is null or b.profile_id = store_daily_briefs.profile_id)
  ), '[]'::jsonb);
end;
$$;
comment on function public.store_daily_briefs(timestamptz, uuid) is
  'Service role only: stores the facts of every brief that is due (or of one person''s, on request) and returns the briefs still to be written.';
revoke execute on function public.store_daily_briefs(timestamptz, uuid) from public, anon, authenticated;
grant execute on function public.store_daily_briefs(timestamptz, uuid) to service_role;

-- ---------------------------------------------------------------------------------
-- write_daily_briefs (service role only): the prose, checked against the facts
-- ---------------------------------------------------------------------------------
create or replace function public.write_daily_briefs(briefs jsonb)
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
  item jsonb;
  b app.daily_briefs;
  v_sentence jsonb;
  v_fact text;
  v_written integer := 0;
  v_digest text;
  v_outbox uuid;
  v_email text;
begin
  if write_daily_briefs.briefs is null or jsonb_typeof(write_daily_briefs.briefs) <> 'array' then
    raise exception 'briefs must be a JSON array of {brief_id, sentences, model}' using errcode = '22023';
  end if;
  for item in select value from jsonb_array_elements(write_daily_briefs.briefs) loop
    if jsonb_typeof(item -> 'sentences') is distinct from 'array' or coalesce(item ->> 'model', '') = '' then
      raise exception 'each brief needs sentences (an array) and the model that wrote them' using errcode = '22023';
    end if;
    select * into b from app.daily_briefs d where d.id = (item ->> 'brief_id')::uuid for update;
    if not found then
      raise exception 'Brief % not found', item ->> 'brief_id' using errcode = 'PT404';
    end if;
    continue when b.written_at is not null;  -- written already: a retry changes nothing
    -- No source, no claim: every sentence rests on facts this brief holds.
    for v_sentence in select value from jsonb_array_elements(item -> 'sentences') loop
      if coalesce(btrim(v_sentence ->> 'text'), '') = '' or jsonb_typeof(v_sentence -> 'facts') is distinct from 'array' then
        raise exception 'each sentence needs text and the ids of the facts it rests on' using errcode = '22023';
      end if;
      for v_fact in select jsonb_array_elements_text(v_sentence -> 'facts') loop
        if not exists (select 1 from jsonb_array_elements(b.facts) f where f ->> 'id' = v_fact) then
          raise exception 'A sentence cites fact "%", which this brief does not hold', v_fact using errcode = '22023';
        end if;
      end loop;
    end loop;

    update app.daily_briefs d
       set sentences = item -> 'sentences',
           -- One sentence per line, as the web app lists them and the email reads best.
           text = coalesce((select string_agg('- ' || (s ->> 'text'), E'\n') from jsonb_array_elements(item -> 'sentences') s), ''),
           model = left(item ->> 'model', 100),
           written_at = now()
     where d.id = b.id
    returning * into b;
    v_written := v_written + 1;

    -- The email digest, through the outbox (daily; weekly on Mondays, local time).
    select coalesce(u.notifications ->> 'emailDigest', 'daily') into v_digest
      from app.profiles p left join app.user_preferences u on u.user_id = p.id where p.id = b.profile_id;
    select p.email into v_email from app.profiles p where p.id = b.profile_id;
    if b.text is not null and b.text <> ''
       and (v_digest = 'daily' or (v_digest = 'weekly' and extract(isodow from b.brief_date) = 1)) then
      -- Renubu's own mail to the person, not mail they sent: no requester (so it stays out
      -- of their Sent mail); the brief links to it.
      insert into app.email_outbox (org_id, to_addresses, subject, body_text)
      values (b.org_id, array[v_email], 'Your Renubu brief for ' || to_char(b.brief_date, 'FMDD Mon YYYY'),
              b.text || E'\n\nOpen Renubu to see the facts behind each sentence.')
      returning id into v_outbox;
      update app.daily_briefs d set email_outbox_id = v_outbox where d.id = b.id;
    end if;
  end loop;
  return v_written;
end;
$$;
comment on function public.write_daily_briefs(jsonb) is
  'Service role only: stores each brief''s sentences (every one citing facts the brief holds) and queues the email digest.';
revoke execute on function public.write_daily_briefs(jsonb) from public, anon, authenticated;
grant execute on function public.write_daily_briefs(jsonb) to service_role;

-- ---------------------------------------------------------------------------------
-- get_daily_brief: the caller's brief
-- ---------------------------------------------------------------------------------
create or replace function public.get_daily_brief(brief_date date default null)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
           'id', b.id, 'brief_date', b.brief_date, 'generated_at', b.generated_at, 'since', b.since,
           'facts', b.facts, 'text', b.text, 'sentences', b.sentences, 'model', b.model, 'written_at', b.written_at,
           'items', coalesce((select jsonb_agg(f) from jsonb_array_elements(b.facts) f where f ->> 'kind' = 'top_item'), '[]'::jsonb))
    from app.daily_briefs b
   where b.profile_id = (select auth.uid())
     and (get_daily_brief.brief_date is null or b.brief_date = get_daily_brief.brief_date)
   order by b.brief_date desc
   limit 1
$$;
comment on function public.get_daily_brief(date) is 'The caller''s daily brief (the newest when brief_date is null): facts, sentences citing them, and the top items; null when there is none.';
revoke execute on function public.get_daily_brief(date) from public, anon;
grant execute on function public.get_daily_brief(date) to authenticated;

-- ---------------------------------------------------------------------------------
-- The schedule: every 15 minutes, ask the daily-brief function to write what is due.
-- ---------------------------------------------------------------------------------
create or replace function app.request_daily_briefs()
returns bigint
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_url text;
  v_key text;
begin
  if not exists (select 1 from app.due_daily_briefs(now())) then
    return null;  -- nobody is due: no request
  end if;
  select s.decrypted_secret into v_url from vault.decrypted_secrets s where s.name = 'project_url';
  select s.decrypted_secret into v_key from vault.decrypted_secrets s where s.name = 'service_role_key';
  if v_url is null or v_key is null then
    return null;
  end if;
  return net.http_post(
    url := rtrim(v_url, '/') || '/functions/v1/daily-brief',
    body := '{}'::jsonb,
    params := '{}'::jsonb,
    headers := jsonb_build_object('Content-Type', 'application/json', 'Authorization', 'Bearer ' || v_key),
    timeout_milliseconds := 120000
  );
end;
$$;
comment on function app.request_daily_briefs() is
  'pg_cron, every 15 minutes: asks the daily-brief Edge Function to write the briefs that are due (net.http_post, secrets from Vault).';
revoke execute on function app.request_daily_briefs() from public, anon, authenticated;

select cron.schedule('daily-briefs', '*/15 * * * *', $$select app.request_daily_briefs()$$);
