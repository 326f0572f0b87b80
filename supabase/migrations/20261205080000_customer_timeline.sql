-- A customer's activity timeline and logging a note, call or meeting (docs/web-app.md "Second
-- release", Customers and history; docs/web-app.md "Customer page").
--
-- What and why:
-- 1. app.customer_changes: stage and plan changes were not recorded anywhere (the customers
--    row only holds the current values). A trigger on app.customers writes one row per
--    change of renewal_stage or account_plan, whatever changed it (the daily re-stamp, a new
--    contract, new ARR or health), so the timeline can show "moved to Critical".
-- 2. public.log_engagement: a person records a note, call, meeting or email as an
--    engagement event. Engagement events are otherwise written by managers, admins and the
--    ingest; any member who works customers (csm, manager, admin) may log one for a customer
--    of their organisation, never a viewer. It runs as definer because the table's insert
--    policy is for managers and admins; the checks below are the policy for this path.
-- 3. public.get_customer_timeline: newest first, keyset-paginated over engagement events,
--    workflow starts and completions, saved actions, emails, approved artifacts, stage and
--    plan changes, and forecast changes (app.renewal_forecast_history, 20261205070000). It runs as the
--    caller (RLS applies to every source); each source is read through a per-customer index
--    and cut to one page before the merge, so a page costs the same at any depth.

---------------------------------------------------------------------------------------
-- 1. Stage and plan changes
---------------------------------------------------------------------------------------

create table app.customer_changes (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  customer_id uuid not null,
  field text not null,
  old_value text,
  new_value text,
  changed_at timestamptz not null default now(),
  changed_by uuid,
  constraint customer_changes_field_is_known check (field in ('renewal_stage', 'account_plan')),
  constraint customer_changes_customer_is_in_organisation foreign key (customer_id, org_id)
    references app.customers (id, org_id) on delete cascade
);
create index customer_changes_customer_id_changed_at_idx on app.customer_changes (customer_id, org_id, changed_at desc, id desc);
comment on table app.customer_changes is 'Each change of a customer''s renewal stage or account plan, written by a trigger on customers (the timeline reads it).';

alter table app.customer_changes enable row level security;
create policy "Members can read their organisation's customer changes"
  on app.customer_changes for select to authenticated
  using (org_id = (select app.current_org_id()));
grant select on app.customer_changes to authenticated;
grant select, insert, update, delete on app.customer_changes to service_role;

create or replace function app.record_customer_changes()
returns trigger
language plpgsql
security definer -- writes the change log whoever changed the customer (no insert policy for people)
set search_path = ''
as $$
begin
  insert into app.customer_changes (org_id, customer_id, field, old_value, new_value, changed_by)
  select new.org_id, new.id, f.field, f.old_value, f.new_value, (select auth.uid())
    from (values ('renewal_stage', old.renewal_stage, new.renewal_stage),
                 ('account_plan', old.account_plan, new.account_plan)) f(field, old_value, new_value)
   where f.old_value is distinct from f.new_value;
  return null;
end;
$$;
comment on function app.record_customer_changes() is 'Trigger: logs changes of renewal_stage and account_plan to app.customer_changes.';

-- No column list: the stage and plan are set by a BEFORE trigger from other columns, and
-- `update of` only sees the columns the statement names.
create trigger customers_record_changes
  after update on app.customers
  for each row
  when (old.renewal_stage is distinct from new.renewal_stage or old.account_plan is distinct from new.account_plan)
  execute function app.record_customer_changes();

---------------------------------------------------------------------------------------
-- 2. log_engagement
---------------------------------------------------------------------------------------

-- The definer part lives in app (no definer function in public); it makes every check itself.
create or replace function app.log_engagement(
  customer_id uuid,
  kind text,
  occurred_at timestamptz,
  summary text,
  details jsonb
)
returns jsonb
language plpgsql
security definer -- the insert policy on engagement_events is managers/admins only; the checks below allow csms too
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_org uuid := app.current_org_id();
  v_role text := app.current_member_role();
  v_summary text := btrim(coalesce(log_engagement.summary, ''));
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
  if length(v_details::text) > 16000 then
    raise exception 'details must be at most 16 kB' using errcode = '22023';
  end if;

  insert into app.engagement_events (org_id, customer_id, event_type, occurred_at, title, description, metadata, source)
  values (v_org, log_engagement.customer_id, log_engagement.kind, log_engagement.occurred_at,
          left(split_part(v_summary, E'\n', 1), 200), v_summary,
          jsonb_build_object('details', v_details, 'logged_by', v_me), 'manual')
  returning * into e;

  return jsonb_build_object(
    'id', e.id, 'customer_id', e.customer_id, 'kind', e.event_type, 'occurred_at', e.occurred_at,
    'summary', e.description, 'details', v_details, 'logged_by', v_me, 'created_at', e.created_at);
end;
$$;
comment on function app.log_engagement(uuid, text, timestamptz, text, jsonb) is 'log_engagement''s checks and insert (definer: csms may log although the table''s insert policy is for managers and admins).';
grant execute on function app.log_engagement(uuid, text, timestamptz, text, jsonb) to authenticated;

create or replace function public.log_engagement(
  customer_id uuid,
  kind text,
  occurred_at timestamptz,
  summary text,
  details jsonb default '{}'::jsonb
)
returns jsonb
language sql
set search_path = ''
as $$
  select app.log_engagement(log_engagement.customer_id, log_engagement.kind, log_engagement.occurred_at,
                            log_engagement.summary, log_engagement.details)
$$;
comment on function public.log_engagement(uuid, text, timestamptz, text, jsonb) is 'Logs a note, call, meeting or email with a customer (csm, manager, admin; not viewers).';
revoke execute on function public.log_engagement(uuid, text, timestamptz, text, jsonb) from public, anon;
grant execute on function public.log_engagement(uuid, text, timestamptz, text, jsonb) to authenticated;

---------------------------------------------------------------------------------------
-- 3. get_customer_timeline
---------------------------------------------------------------------------------------

create or replace function public.get_customer_timeline(
  customer_id uuid,
  page_size integer default 50,
  cursor text default null,
  kinds text[] default null
)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  v_kinds text[] := array['engagement', 'workflow_started', 'workflow_completed', 'action', 'email',
                          'artifact_approved', 'stage_change', 'plan_change', 'forecast_change'];
  v_want text[];
  v_bad text;
  v_cur jsonb;
  c_at timestamptz;
  c_id uuid;
  c_kind text;
  v_limit integer;
  v_items jsonb;
  v_next text;
begin
  if v_org is null then
    raise exception 'Only members of an organisation can read timelines' using errcode = '42501';
  end if;
  if get_customer_timeline.customer_id is null then
    raise exception 'customer_id is required' using errcode = '22023';
  end if;
  if get_customer_timeline.page_size is null or get_customer_timeline.page_size not between 1 and 200 then
    raise exception 'page_size must be between 1 and 200' using errcode = '22023',
      hint = 'Ask for at most 200 entries and follow next_cursor.';
  end if;
  if get_customer_timeline.kinds is not null then
    select k into v_bad from unnest(get_customer_timeline.kinds) k where k is null or k <> all(v_kinds) limit 1;
    if found then
      raise exception 'kinds has an unknown value "%"', left(coalesce(v_bad, 'null'), 60) using errcode = '22023',
        hint = 'Allowed: ' || array_to_string(v_kinds, ', ') || '.';
    end if;
    v_want := get_customer_timeline.kinds;
  else
    v_want := v_kinds;
  end if;
  if get_customer_timeline.cursor is not null then
    begin
      v_cur := convert_from(decode(get_customer_timeline.cursor, 'base64'), 'UTF8')::jsonb;
      c_at := (v_cur ->> 't')::timestamptz;
      c_id := (v_cur ->> 'i')::uuid;
      c_kind := v_cur ->> 'k';
    exception when others then
      c_id := null;
    end;
    if c_id is null or c_at is null or c_kind is null then
      raise exception 'cursor is not valid' using errcode = '22023',
        hint = 'Pass the next_cursor of the previous page unchanged, or no cursor for the first page.';
    end if;
  end if;
  -- Visible (RLS) and of the caller's organisation, else PT404 (never say which).
  if not exists (select 1 from app.customers c where c.id = get_customer_timeline.customer_id and c.org_id = v_org) then
    raise exception 'Customer not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see customers of your own organisation.';
  end if;
  v_limit := get_customer_timeline.page_size + 1;

  -- Every source yields (occurred_at, id, kind, ...) ordered newest first and cut to one
  -- page after the cursor; ties on occurred_at break by id, then kind (a workflow's start
  -- and completion share its id).
  with execs as materialized (
    select x.id, x.status, x.started_at, x.completed_at, x.assigned_to, w.key as workflow_key, w.name as workflow_name
      from app.workflow_executions x
      join app.workflows w on w.id = x.workflow_id
     where x.customer_id = get_customer_timeline.customer_id and x.org_id = v_org
  ),
  entries as (
    (select e.occurred_at as at, e.id, 'engagement'::text as kind, e.event_type as subtype,
            coalesce(e.title, initcap(replace(e.event_type, '_', ' '))) as title, e.description as summary,
            nullif(e.metadata ->> 'logged_by', '')::uuid as actor_id, null::uuid as execution_id,
            jsonb_strip_nulls(jsonb_build_object('source', e.source, 'nps_score', e.nps_score, 'ticket_status', e.ticket_status,
              'details', e.metadata -> 'details')) as extra
       from app.engagement_events e
      where 'engagement' = any(v_want)
        and e.customer_id = get_customer_timeline.customer_id and e.org_id = v_org
        -- Planned events (a scheduled QBR) are not activity yet.
        and e.occurred_at <= now() + interval '5 minutes'
        and (c_id is null or (e.occurred_at, e.id, 'engagement') < (c_at, c_id, c_kind))
      order by e.occurred_at desc, e.id desc
      limit v_limit)
    union all
    (select x.started_at, x.id, 'workflow_started', x.workflow_key, 'Started ' || x.workflow_name, null,
            x.assigned_to, x.id, jsonb_build_object('status', x.status)
       from execs x
      where 'workflow_started' = any(v_want) and x.started_at is not null
        and (c_id is null or (x.started_at, x.id, 'workflow_started') < (c_at, c_id, c_kind))
      order by x.started_at desc, x.id desc
      limit v_limit)
    union all
    (select x.completed_at, x.id, 'workflow_completed', x.workflow_key,
            case x.status when 'completed_with_pending_tasks' then 'Completed ' || x.workflow_name || ' (tasks pending)'
                          when 'cancelled' then 'Cancelled ' || x.workflow_name
                          else 'Completed ' || x.workflow_name end, null,
            x.assigned_to, x.id, jsonb_build_object('status', x.status)
       from execs x
      where 'workflow_completed' = any(v_want) and x.completed_at is not null
        and (c_id is null or (x.completed_at, x.id, 'workflow_completed') < (c_at, c_id, c_kind))
      order by x.completed_at desc, x.id desc
      limit v_limit)
    union all
    (select a.created_at, a.id, 'action', a.action_key, initcap(replace(a.action_key, '_', ' ')),
            case when a.success then null else a.error_message end,
            a.executed_by, a.execution_id, jsonb_build_object('success', a.success, 'workflow', x.workflow_name)
       from execs x
       join app.action_executions a on a.execution_id = x.id and a.org_id = v_org
      where 'action' = any(v_want)
        and (c_id is null or (a.created_at, a.id, 'action') < (c_at, c_id, c_kind))
      order by a.created_at desc, a.id desc
      limit v_limit)
    union all
    (select coalesce(m.sent_at, m.created_at), m.id, 'email', m.status, m.subject, null,
            m.requested_by, m.execution_id, jsonb_build_object('to', to_jsonb(m.to_addresses), 'status', m.status)
       from execs x
       join app.email_outbox m on m.execution_id = x.id and m.org_id = v_org
      where 'email' = any(v_want)
        and (c_id is null or (coalesce(m.sent_at, m.created_at), m.id, 'email') < (c_at, c_id, c_kind))
      order by coalesce(m.sent_at, m.created_at) desc, m.id desc
      limit v_limit)
    union all
    (select t.approved_at, t.id, 'artifact_approved', t.artifact_type, 'Approved: ' || t.title, null,
            t.approved_by, t.execution_id, jsonb_build_object('artifact_id', t.id, 'workflow', x.workflow_name)
       from execs x
       join app.workflow_task_artifacts t on t.execution_id = x.id and t.org_id = v_org
      where 'artifact_approved' = any(v_want) and t.approved_at is not null
        and (c_id is null or (t.approved_at, t.id, 'artifact_approved') < (c_at, c_id, c_kind))
      order by t.approved_at desc, t.id desc
      limit v_limit)
    union all
    (select ch.changed_at, ch.id, case ch.field when 'renewal_stage' then 'stage_change' else 'plan_change' end, ch.field,
            case ch.field when 'renewal_stage' then 'Renewal stage: ' else 'Account plan: ' end
              || coalesce(initcap(ch.old_value), 'none') || ' → ' || coalesce(initcap(ch.new_value), 'none'), null,
            ch.changed_by, null::uuid, jsonb_build_object('from', ch.old_value, 'to', ch.new_value)
       from app.customer_changes ch
      where ch.customer_id = get_customer_timeline.customer_id and ch.org_id = v_org
        and ((ch.field = 'renewal_stage' and 'stage_change' = any(v_want)) or (ch.field = 'account_plan' and 'plan_change' = any(v_want)))
        and (c_id is null or (ch.changed_at, ch.id, case ch.field when 'renewal_stage' then 'stage_change' else 'plan_change' end) < (c_at, c_id, c_kind))
      order by ch.changed_at desc, ch.id desc
      limit v_limit)
    union all
    (select f.changed_at, f.id, 'forecast_change', f.category,
            'Forecast: ' || replace(f.category, '_', ' ')
              || coalesce(' at ' || to_char(f.forecast_arr, 'FM999,999,999,990'), ''),
            f.note, f.changed_by, f.execution_id,
            jsonb_build_object('category', f.category, 'forecast_arr', f.forecast_arr, 'renewal_date', f.renewal_date)
       from app.renewal_forecast_history f
      where 'forecast_change' = any(v_want)
        and f.customer_id = get_customer_timeline.customer_id and f.org_id = v_org
        and (c_id is null or (f.changed_at, f.id, 'forecast_change') < (c_at, c_id, c_kind))
      order by f.changed_at desc, f.id desc
      limit v_limit)
  ),
  page as (
    select * from entries order by at desc, id desc, kind desc limit v_limit
  ),
  numbered as (
    select p.*, row_number() over (order by p.at desc, p.id desc, p.kind desc) as rn from page p
  )
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', n.id, 'kind', n.kind, 'subtype', n.subtype, 'occurred_at', n.at, 'title', n.title, 'summary', n.summary,
           'actor', case when pr.id is null then null else jsonb_build_object('id', pr.id, 'full_name', pr.full_name) end,
           'execution_id', n.execution_id, 'details', n.extra) order by n.rn) filter (where n.rn <= get_customer_timeline.page_size), '[]'::jsonb),
         max(translate(encode(convert_to(jsonb_build_object('t', n.at, 'i', n.id, 'k', n.kind)::text, 'UTF8'), 'base64'), E'\n', ''))
           filter (where n.rn = get_customer_timeline.page_size and (select count(*) from numbered) > get_customer_timeline.page_size)
    into v_items, v_next
    from numbered n
    left join app.profiles pr on pr.id = n.actor_id and pr.org_id = v_org;

  return jsonb_build_object('items', v_items, 'next_cursor', v_next, 'kinds', to_jsonb(v_kinds));
end;
$$;
comment on function public.get_customer_timeline(uuid, integer, text, text[]) is 'A customer''s activity, newest first (keyset): engagement, workflow starts and completions, actions, emails, approved artifacts, stage, plan and forecast changes.';
revoke execute on function public.get_customer_timeline(uuid, integer, text, text[]) from public, anon;
grant execute on function public.get_customer_timeline(uuid, integer, text, text[]) to authenticated;
