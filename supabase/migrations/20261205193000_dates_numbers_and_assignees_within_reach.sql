-- Dates, numbers and assignees within what the product can hold (docs/api-contract.md
-- "Errors"; docs/business-rules.md "Tasks").
--
-- What and why: a security review found three classes of input that were accepted and then
-- hurt the people who read them.
--   * Dates and times outside any business range. Postgres reads 'infinity', '-infinity'
--     and 'epoch' as timestamps, so a task due 'infinity' (create_task, the create_task and
--     schedule_meeting actions, update_task) was stored, and from then on the customer's
--     page, the assignee's task list and the task itself failed with "cannot subtract
--     infinite dates" for everyone. A forecast asked for from '-infinity' failed the same
--     way. Every date and time a person sends is now within the years 2000 to 2099
--     (app.require_business_time / app.require_business_date, 22023 naming the argument):
--     at the parameter (app.timestamp_param, get_renewal_forecast, get_retention_metrics),
--     for tasks also where they are stored (a row trigger, so no other path can store one
--     either), and in a contract's start and end dates a person confirms
--     (app.contract_field_value: an end date of 9999-12-31 made the customer's renewal date
--     10000-01-01). Tasks already
--     stored with such a date lose it (their due date or snooze becomes empty).
--   * Numbers that overflow: a snooze of 1e10 days was an integer overflow (22003) instead
--     of the range error every other out-of-range value gets; so was a forged list_customers
--     cursor whose keys were "1e400" or "NaN" where the page casts an integer (22003/22P02
--     instead of "cursor is not valid").
--   * Work handed to someone who cannot do it: a task or a workflow could be assigned to a
--     viewer (who may not complete it) or to a deactivated person. Reassigning already
--     refused both; now creating refuses them too (app.require_person_who_can_take_work):
--     for tasks in a row trigger whenever a person sets the assignee, as the executions'
--     app.refuse_assignment_to_deactivated does for reassignment; for a workflow opened
--     with an explicit assignee_id in create_workflow_execution. New work that falls to
--     such a person by default (the customer's CSM became a viewer) opens unassigned, as it
--     already did for a deactivated one: the executions' insert trigger is now
--     app.unassign_new_work_of_people_who_cannot_take_it (the orchestrator applies the same
--     rule in its INSERT, migration 20261205190000).

-- The years a date or time a person sends may fall in. Nothing in customer success is
-- due before 2000 or after 2099; 'infinity' and 'epoch' are outside by construction.
create or replace function app.require_business_time(value timestamptz, argument text)
returns timestamptz
language plpgsql
immutable
set search_path = ''
as $$
begin
  if value is not null and not (value >= '2000-01-01 00:00:00+00' and value < '2100-01-01 00:00:00+00') then
    raise exception '% must be a date and time in the years 2000 to 2099', argument using errcode = '22023',
      hint = 'Send an ISO 8601 date and time, e.g. 2026-12-31T09:00:00Z.';
  end if;
  return value;
end;
$$;

create or replace function app.require_business_date(value date, argument text)
returns date
language plpgsql
immutable
set search_path = ''
as $$
begin
  if value is not null and not (value >= date '2000-01-01' and value < date '2100-01-01') then
    raise exception '% must be a date in the years 2000 to 2099', argument using errcode = '22023',
      hint = 'Send an ISO 8601 date, e.g. 2026-12-31.';
  end if;
  return value;
end;
$$;

-- A date and time parameter of an action: ISO 8601 text, within the business years.
create or replace function app.timestamp_param(params jsonb, name text)
returns timestamptz
language plpgsql
stable
set search_path = ''
as $$
declare
  raw text := timestamp_param.params ->> timestamp_param.name;
  v_value timestamptz;
begin
  if raw is null or btrim(raw) = '' then
    return null;
  end if;
  begin
    v_value := raw::timestamptz;
  exception when others then
    raise exception '% must be a date and time (ISO 8601)', timestamp_param.name using errcode = '22023';
  end;
  return app.require_business_time(v_value, timestamp_param.name);
end;
$$;

-- Who may be given work: an active CSM, manager or admin of the organisation.
create or replace function app.require_person_who_can_take_work(org_id uuid, person_id uuid, argument text)
returns void
language plpgsql
stable
set search_path = ''
as $$
declare
  p app.profiles;
begin
  select * into p from app.profiles x
   where x.id = require_person_who_can_take_work.person_id and x.org_id = require_person_who_can_take_work.org_id;
  if not found then
    raise exception '% must be a member of your organisation', argument using errcode = '22023';
  end if;
  if p.deactivated_at is not null then
    raise exception '% has been deactivated and cannot take work', argument using errcode = '22023',
      hint = 'Assign it to an active member of your organisation.';
  end if;
  if p.role = 'viewer' then
    raise exception '% is a viewer, who cannot take work', argument using errcode = '22023',
      hint = 'Pick a CSM, manager or admin.';
  end if;
end;
$$;

grant execute on function app.require_business_time(timestamptz, text) to authenticated, service_role;
grant execute on function app.require_business_date(date, text) to authenticated, service_role;
grant execute on function app.require_person_who_can_take_work(uuid, uuid, text) to authenticated, service_role;

-- Tasks hold only business dates, whichever path writes them.
create or replace function app.tasks_keep_business_dates()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform app.require_business_time(new.due_date, 'due_date');
  perform app.require_business_time(new.snoozed_until, 'until');
  return new;
end;
$$;

update app.workflow_tasks set due_date = null
 where due_date is not null and not (due_date >= '2000-01-01 00:00:00+00' and due_date < '2100-01-01 00:00:00+00');
update app.workflow_tasks set snoozed_until = null,
                              status = case when status = 'snoozed' then 'pending' else status end
 where snoozed_until is not null and not (snoozed_until >= '2000-01-01 00:00:00+00' and snoozed_until < '2100-01-01 00:00:00+00');

create trigger workflow_tasks_keep_business_dates
  before insert or update of due_date, snoozed_until on app.workflow_tasks
  for each row execute function app.tasks_keep_business_dates();

-- A person hands a task only to someone who can do it (a job run by the system, with no
-- person signed in, is not checked: it follows the organisation's own rules).
create or replace function app.tasks_go_to_people_who_can_take_them()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' and new.assigned_to is not distinct from old.assigned_to then
    return new; -- named in the SET but not changed
  end if;
  if (select auth.uid()) is not null then
    perform app.require_person_who_can_take_work(new.org_id, new.assigned_to, 'assigned_to');
  end if;
  return new;
end;
$$;

create trigger workflow_tasks_go_to_people_who_can_take_them
  before insert or update of assigned_to on app.workflow_tasks
  for each row
  when (new.assigned_to is not null)
  execute function app.tasks_go_to_people_who_can_take_them();

create or replace function public.create_workflow_execution(customer_id uuid, workflow_key text, assignee_id uuid default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
#variable_conflict use_column
declare
  v_me uuid := (select auth.uid());
  v_org uuid := app.current_org_id();
  v_role text := app.current_member_role();
  c app.customers;
  w record;
  v_assignee uuid;
  v_id uuid;
  v_existing uuid;
begin
  if v_org is null or v_role not in ('csm', 'manager', 'admin') then
    raise exception 'Your role may not open workflows' using errcode = '42501',
      hint = 'Viewers can read the queue but not change it.';
  end if;
  if create_workflow_execution.customer_id is null then
    raise exception 'customer_id is required' using errcode = '22023';
  end if;
  if coalesce(btrim(create_workflow_execution.workflow_key), '') = '' then
    raise exception 'workflow_key is required' using errcode = '22023';
  end if;
  select * into c from app.customers x where x.id = create_workflow_execution.customer_id;
  if not found then
    raise exception 'Customer not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see customers of your own organisation.';
  end if;
  select * into w from app.effective_workflows(v_org) f where f.key = create_workflow_execution.workflow_key;
  if not found then
    raise exception 'workflow_key "%" is not a workflow of your organisation', create_workflow_execution.workflow_key
      using errcode = '22023', hint = 'Use the key of a core workflow (e.g. risk-assessment) or one of your organisation''s.';
  end if;
  v_assignee := coalesce(create_workflow_execution.assignee_id, c.assigned_to, v_me);
  if create_workflow_execution.assignee_id is not null then
    -- someone named: they must be able to do the work (new work that falls to a
    -- deactivated CSM by default opens unassigned, app.unassign_new_work_of_deactivated)
    perform app.require_person_who_can_take_work(v_org, create_workflow_execution.assignee_id, 'assignee_id');
  elsif not exists (select 1 from app.profiles p where p.id = v_assignee and p.org_id = v_org) then
    raise exception 'assignee_id is not a member of your organisation' using errcode = '22023';
  end if;
  if v_role = 'csm' and v_assignee <> v_me then
    if create_workflow_execution.assignee_id is not null then
      raise exception 'A CSM can only open workflows for themselves' using errcode = '42501',
        hint = 'Leave assignee_id out, or ask a manager to assign it.';
    end if;
    v_assignee := v_me;
  end if;

  insert into app.workflow_executions (
    org_id, customer_id, workflow_id, workflow_version_id, assigned_to, status, renewal_stage,
    trigger_reason, current_step_key, current_step_index, total_steps, metadata)
  values (
    v_org, c.id, w.workflow_id, w.version_id, v_assignee, 'queued',
    case when w.workflow_type = 'renewal' then w.trigger_config ->> 'stage' end,
    'Opened manually', w.first_step_key, case when w.first_step_key is null then null else 0 end, w.total_steps,
    app.with_history('{}'::jsonb, jsonb_build_object('event', 'created', 'manual', true)))
  on conflict (customer_id, workflow_id) where status in ('queued', 'in_progress', 'snoozed', 'escalated')
  do nothing
  returning id into v_id;

  if v_id is null then
    select x.id into v_existing from app.workflow_executions x
     where x.customer_id = c.id and x.workflow_id = w.workflow_id and app.is_open_status(x.status);
    raise exception 'A "%" workflow is already open for %', w.name, c.name using errcode = 'PT409',
      detail = coalesce(v_existing::text, ''),
      hint = 'Open the existing execution ' || coalesce(v_existing::text, '') || ' instead.';
  end if;
  perform app.create_step_rows(array[v_id]);
  return public.get_workflow_execution(v_id);
end;
$$;

create or replace function app.action_snooze(a app.saved_actions, e app.workflow_executions, params jsonb, log_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_settings app.organisation_settings;
  v_min integer;
  v_max integer;
  v_days integer;
  v_reason text;
  v_until timestamptz;
begin
  select * into v_settings from app.organisation_settings s where s.org_id = e.org_id;
  v_min := coalesce((a.config ->> 'min_days')::integer, v_settings.snooze_min_days, 1);
  v_max := coalesce((a.config ->> 'max_days')::integer, v_settings.snooze_max_days, 30);
  if params ? 'days' then
    if jsonb_typeof(params -> 'days') <> 'number' or (params ->> 'days')::numeric <> trunc((params ->> 'days')::numeric) then
      raise exception 'days must be a whole number of days between % and %', v_min, v_max using errcode = '22023';
    end if;
    -- compared as the number sent, so that 1e10 days is out of range rather than an
    -- integer overflow
    if (params ->> 'days')::numeric < v_min or (params ->> 'days')::numeric > v_max then
      raise exception 'days must be between % and %', v_min, v_max using errcode = '22023',
        hint = 'Snooze for ' || v_min || ' to ' || v_max || ' days.';
    end if;
    v_days := (params ->> 'days')::numeric::integer;
  else
    v_days := coalesce((a.config ->> 'default_days')::integer, v_settings.snooze_default_days, 7);
  end if;
  if v_days < v_min or v_days > v_max then
    raise exception 'days must be between % and %', v_min, v_max using errcode = '22023',
      hint = 'Snooze for ' || v_min || ' to ' || v_max || ' days.';
  end if;
  v_reason := nullif(btrim(params ->> 'reason'), '');
  if v_reason is null and coalesce((a.config ->> 'reason_required')::boolean, true) then
    raise exception 'reason is required to snooze a workflow' using errcode = '22023';
  end if;
  if e.status = 'snoozed' then
    raise exception 'Cannot snooze this workflow: it is already snoozed until %', e.snoozed_until using errcode = 'PT409',
      hint = 'Wait until it returns to the queue, or wake it to resume now.';
  end if;
  v_until := now() + make_interval(days => v_days);
  update app.workflow_executions x
     set status = 'snoozed',
         snoozed_until = v_until,
         metadata = app.with_history(x.metadata, jsonb_build_object(
           'event', 'snoozed', 'days', v_days, 'reason', v_reason, 'from_status', e.status, 'until', v_until,
           'action_log_id', log_id))
   where x.id = e.id;
  return jsonb_build_object(
    'params', params || jsonb_build_object('days', v_days),
    'result', jsonb_build_object('snoozed_until', v_until, 'days', v_days, 'reason', v_reason),
    'side_effects', '[]'::jsonb);
end;
$$;

create or replace function public.get_renewal_forecast(
  period_start date,
  period_end date,
  assignee_id uuid default null,
  category text default null,
  max_items integer default 200,
  month date default null,
  after jsonb default null
)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
  perform app.require_business_date(get_renewal_forecast.period_start, 'period_start');
  perform app.require_business_date(get_renewal_forecast.period_end, 'period_end');
  perform app.require_business_date(get_renewal_forecast.month, 'month');
  return app.renewal_forecast_of_my_org(get_renewal_forecast.period_start, get_renewal_forecast.period_end,
                                        get_renewal_forecast.assignee_id, get_renewal_forecast.category,
                                        get_renewal_forecast.max_items, get_renewal_forecast.month,
                                        get_renewal_forecast.after);
end;
$$;

-- New work for someone who cannot take it opens unassigned: deactivated people, as before,
-- and now viewers. Replaces app.unassign_new_work_of_deactivated and its trigger (same
-- condition: the orchestrator's INSERT applies the rule itself and says so).
create or replace function app.unassign_new_work_of_people_who_cannot_take_it()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if exists (select 1 from app.profiles p
              where p.id = new.assigned_to and (p.deactivated_at is not null or p.role = 'viewer')) then
    new.assigned_to := null;
  end if;
  return new;
end;
$$;
comment on function app.unassign_new_work_of_people_who_cannot_take_it() is
  'New work for a deactivated person or a viewer opens unassigned (a manager assigns it).';
revoke execute on function app.unassign_new_work_of_people_who_cannot_take_it() from public, anon;

drop trigger workflow_executions_new_work_skips_deactivated on app.workflow_executions;
create trigger workflow_executions_new_work_skips_people_who_cannot_take_it
  before insert on app.workflow_executions
  for each row
  when (new.assigned_to is not null
        and current_setting('renubu.orchestrator_assignees_checked', true) is distinct from 'on')
  execute function app.unassign_new_work_of_people_who_cannot_take_it();
drop function app.unassign_new_work_of_deactivated();

-- A contract date a person confirms is a business date too (restated whole; one line added).
create or replace function app.contract_field_value(field_key text, value jsonb)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_text text := case when jsonb_typeof(value) in ('string', 'number', 'boolean') then value #>> '{}' end;
  v_number numeric;
  v_date date;
begin
  if value is null or jsonb_typeof(value) = 'null' then
    return null;
  end if;
  if v_text is null then
    raise exception 'The value of % must be a single value', field_key using errcode = '22023',
      hint = 'Send a string, number or boolean.';
  end if;
  case field_key
    when 'start_date', 'end_date' then
      begin
        v_date := case when v_text ~ '^\d{4}-\d{2}-\d{2}$' then pg_catalog.to_date(v_text, 'YYYY-MM-DD') end;
      exception when others then
        v_date := null; -- 30 February and the like
      end;
      if v_date is null or pg_catalog.to_char(v_date, 'YYYY-MM-DD') <> v_text then
        raise exception 'The value of % must be a date (YYYY-MM-DD)', field_key using errcode = '22023',
          hint = 'For example 2027-03-29.';
      end if;
      perform app.require_business_date(v_date, field_key);
      return to_jsonb(v_text);
    when 'auto_renew', 'termination_for_convenience' then
      if jsonb_typeof(value) <> 'boolean' then
        raise exception 'The value of % must be true or false', field_key using errcode = '22023', hint = 'Send a boolean.';
      end if;
      return value;
    when 'notice_period_days', 'term_months' then
      if v_text !~ '^\d{1,5}$' or v_text::integer > (case field_key when 'notice_period_days' then 3650 else 600 end)
         or (field_key = 'term_months' and v_text::integer < 1) then
        raise exception 'The value of % must be a whole number in range', field_key using errcode = '22023',
          hint = 'Notice: 0 to 3650 days; term: 1 to 600 months.';
      end if;
      return to_jsonb(v_text::integer);
    when 'annual_value', 'price_increase_cap_pct' then
      if v_text !~ '^\d{1,12}(\.\d{1,2})?$' then
        raise exception 'The value of % must be a non-negative amount with at most two decimals', field_key using errcode = '22023',
          hint = 'For example 48000 or 5.5.';
      end if;
      v_number := v_text::numeric;
      if field_key = 'price_increase_cap_pct' and v_number > 100 then
        raise exception 'The price increase cap is a percentage from 0 to 100' using errcode = '22023', hint = 'For example 5.';
      end if;
      return to_jsonb(v_number);
    when 'currency' then
      if v_text !~ '^[A-Z]{3}$' then
        raise exception 'The currency must be a three-letter ISO code' using errcode = '22023', hint = 'For example USD, EUR or GBP.';
      end if;
      return to_jsonb(v_text);
    when 'payment_terms' then
      if length(btrim(v_text)) = 0 or length(v_text) > 200 then
        raise exception 'Payment terms must be 1 to 200 characters' using errcode = '22023', hint = 'For example "Net 30".';
      end if;
      return to_jsonb(btrim(v_text));
    else
      raise exception 'Unknown contract field %', field_key using errcode = '22023',
        hint = 'Fields: ' || array_to_string(app.contract_field_keys(), ', ') || '.';
  end case;
end;
$$;

-- A list_customers cursor's keys are checked as the page casts them (restated whole).
create or replace function app.customer_list_cursor(cursor text, sort text)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_after jsonb;
begin
  if cursor is null then
    return null;
  end if;
  begin
    v_after := convert_from(decode(cursor, 'base64'), 'UTF8')::jsonb;
    if jsonb_typeof(v_after) <> 'object' or v_after ->> 's' is distinct from sort
       or jsonb_typeof(v_after -> 'k') <> 'array' or jsonb_array_length(v_after -> 'k') <> 3
       or (v_after -> 'k' ->> 2)::uuid is null then
      v_after := null;
    else
      v_after := v_after -> 'k';
      -- each key as app.customer_list_page casts it for this sort, so that a forged key
      -- ("1e400", "NaN" where an integer goes) is an invalid cursor here, not an overflow there
      perform case customer_list_cursor.sort
                when 'arr' then (v_after ->> 0)::numeric::text
                when 'renewal' then (v_after ->> 0)::date::text
                when 'health' then (v_after ->> 0)::integer::text
                when 'priority' then (v_after ->> 0)::integer::text || (v_after ->> 1)::numeric::text
              end;
    end if;
  exception when others then
    v_after := null;
  end;
  if v_after is null then
    raise exception 'cursor is not valid' using errcode = '22023',
      hint = 'Pass the next_cursor of the previous page (of the same sort) unchanged, or no cursor for the first page.';
  end if;
  return v_after;
end;
$$;

-- Retention is read for business years too (restated whole; two lines added).
create or replace function public.get_retention_metrics(period_start date, period_end date, granularity text default 'month')
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  v_step interval;
  v_starts date[];
  v_ends date[];
  v_result jsonb;
begin
  if v_org is null then
    raise exception 'Only members of an organisation can read its retention' using errcode = '42501';
  end if;
  if get_retention_metrics.granularity is null or get_retention_metrics.granularity not in ('month', 'quarter') then
    raise exception 'granularity must be month or quarter' using errcode = '22023';
  end if;
  v_step := case get_retention_metrics.granularity when 'month' then interval '1 month' else interval '3 months' end;
  perform app.require_business_date(get_retention_metrics.period_start, 'period_start');
  perform app.require_business_date(get_retention_metrics.period_end, 'period_end');
  if get_retention_metrics.period_start is null or get_retention_metrics.period_end is null
     or get_retention_metrics.period_end <= get_retention_metrics.period_start then
    raise exception 'period_start must be before period_end' using errcode = '22023',
      hint = 'The period is [period_start, period_end), e.g. 2026-01-01 to 2027-01-01 for a year.';
  end if;
  if extract(day from get_retention_metrics.period_start) <> 1 or extract(day from get_retention_metrics.period_end) <> 1
     or (get_retention_metrics.granularity = 'quarter'
         and (extract(month from get_retention_metrics.period_start)::int % 3 <> 1
              or extract(month from get_retention_metrics.period_end)::int % 3 <> 1)) then
    raise exception 'period_start and period_end must be the first day of a %', get_retention_metrics.granularity
      using errcode = '22023', hint = 'Retention is measured between month starts (quarters: January, April, July, October).';
  end if;
  if get_retention_metrics.period_end > (get_retention_metrics.period_start + interval '60 months')::date then
    raise exception 'The period is longer than five years' using errcode = '22023';
  end if;
  if ((extract(year from age(get_retention_metrics.period_end, get_retention_metrics.period_start)) * 12
       + extract(month from age(get_retention_metrics.period_end, get_retention_metrics.period_start)))::int
      % (case get_retention_metrics.granularity when 'month' then 1 else 3 end)) <> 0 then
    raise exception 'The period must be whole quarters' using errcode = '22023';
  end if;

  -- The pairs: the whole period; each step; each step's trailing 12 months.
  with steps as (
    select g::date as s, (g + v_step)::date as e
      from generate_series(get_retention_metrics.period_start::timestamp,
                           (get_retention_metrics.period_end::timestamp - v_step), v_step) g
  ), pairs as (
    select get_retention_metrics.period_start as s, get_retention_metrics.period_end as e
    union select s, e from steps
    union select (e - interval '12 months')::date, e from steps
  )
  select array_agg(p.s), array_agg(p.e) into v_starts, v_ends from pairs p;

  with sums as materialized (
    select * from app.retention_pairs(v_org, v_starts, v_ends)
  ), steps as (
    select g::date as s, (g + v_step)::date as e
      from generate_series(get_retention_metrics.period_start::timestamp,
                           (get_retention_metrics.period_end::timestamp - v_step), v_step) g
  )
  select app.retention_figure(t.period_start, t.period_end, t.customers, t.starting_arr, t.expansion, t.contraction, t.churn)
         || jsonb_build_object(
              'granularity', get_retention_metrics.granularity,
              'series', (
                select coalesce(jsonb_agg(
                         app.retention_figure(st.s, st.e, m.customers, m.starting_arr, m.expansion, m.contraction, m.churn)
                         || jsonb_build_object('trailing_12_months',
                              app.retention_figure((st.e - interval '12 months')::date, st.e, y.customers, y.starting_arr,
                                                   y.expansion, y.contraction, y.churn))
                         order by st.s), '[]'::jsonb)
                  from steps st
                  left join sums m on m.period_start = st.s and m.period_end = st.e
                  left join sums y on y.period_start = (st.e - interval '12 months')::date and y.period_end = st.e))
    into v_result
    from sums t
   where t.period_start = get_retention_metrics.period_start and t.period_end = get_retention_metrics.period_end;
  return v_result;
end;
$$;
