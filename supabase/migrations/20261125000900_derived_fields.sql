-- Derived customer fields: account plan and renewal stage (domain.md "Customers and
-- their derived fields").
--
-- Why: the rules live in two pure functions, so SQL that shows a plan or stage "as of
-- today" and the trigger that stores them agree by construction. The stored stage goes
-- stale as days pass, so `app.restamp_renewal_stages` re-stamps (set-based) every
-- customer whose stage changed, and pg_cron runs it. Stages are computed from the
-- organisation's local date (its `time_zone` setting), never the server's.

-- First rule that matches wins; a missing health counts as 50, a missing ARR as 0.
create or replace function app.calculate_account_plan(arr numeric, health_score integer)
returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case
    when coalesce(calculate_account_plan.arr, 0) > 150000
      and coalesce(calculate_account_plan.health_score, 50) > 75 then 'expand'
    when coalesce(calculate_account_plan.arr, 0) > 50000
      and coalesce(calculate_account_plan.health_score, 50) > 60 then 'invest'
    when coalesce(calculate_account_plan.health_score, 50) < 50 then 'monitor'
    else 'manage'
  end
$$;
comment on function app.calculate_account_plan(numeric, integer) is 'The account plan (expand, invest, monitor, manage) for an ARR and health score (domain.md).';

-- Whole days until renewal as of a date; null without a renewal date.
create or replace function app.calculate_renewal_stage(renewal_date date, as_of date default current_date)
returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case
    when calculate_renewal_stage.renewal_date is null or calculate_renewal_stage.as_of is null then null
    when calculate_renewal_stage.renewal_date - calculate_renewal_stage.as_of < 0 then 'Overdue'
    when calculate_renewal_stage.renewal_date - calculate_renewal_stage.as_of < 7 then 'Emergency'
    when calculate_renewal_stage.renewal_date - calculate_renewal_stage.as_of < 14 then 'Critical'
    when calculate_renewal_stage.renewal_date - calculate_renewal_stage.as_of < 30 then 'Signature'
    when calculate_renewal_stage.renewal_date - calculate_renewal_stage.as_of < 60 then 'Finalize'
    when calculate_renewal_stage.renewal_date - calculate_renewal_stage.as_of < 90 then 'Negotiate'
    when calculate_renewal_stage.renewal_date - calculate_renewal_stage.as_of < 120 then 'Engage'
    when calculate_renewal_stage.renewal_date - calculate_renewal_stage.as_of < 180 then 'Prepare'
    else 'Monitor'
  end
$$;
comment on function app.calculate_renewal_stage(date, date) is 'The renewal stage (Overdue ... Monitor) for a renewal date as of a day (domain.md).';

create or replace function app.renewal_stage_urgency(stage text)
returns integer
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case renewal_stage_urgency.stage
    when 'Overdue' then 100
    when 'Emergency' then 90
    when 'Critical' then 80
    when 'Signature' then 70
    when 'Finalize' then 60
    when 'Negotiate' then 50
    when 'Engage' then 40
    when 'Prepare' then 30
    when 'Monitor' then 20
  end
$$;
comment on function app.renewal_stage_urgency(text) is 'The urgency of a renewal stage (100 for Overdue ... 20 for Monitor); null for an unknown stage.';

-- Today in the organisation's time zone ('UTC' when it has no settings row).
create or replace function app.organisation_today(org_id uuid)
returns date
language sql
stable
set search_path = ''
as $$
  select (now() at time zone coalesce(
    (select s.time_zone from app.organisation_settings s where s.org_id = organisation_today.org_id),
    'UTC'
  ))::date
$$;
comment on function app.organisation_today(uuid) is 'The current date in the organisation''s time zone.';

-- Keeps account_plan and renewal_stage current on insert and on every change of their
-- inputs. A direct write to account_plan is recomputed too (it is never hand-set);
-- renewal_stage is only recomputed when renewal_date (or the organisation) changes, so
-- the re-stamp job can stamp it as of a given day.
create or replace function app.derive_customer_fields()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.account_plan := app.calculate_account_plan(new.arr, new.health_score);
  if tg_op = 'INSERT'
    or new.renewal_date is distinct from old.renewal_date
    or new.org_id is distinct from old.org_id then
    new.renewal_stage := app.calculate_renewal_stage(new.renewal_date, app.organisation_today(new.org_id));
  end if;
  return new;
end;
$$;

create trigger customers_derive_fields
  before insert or update of arr, health_score, renewal_date, org_id, account_plan on app.customers
  for each row execute function app.derive_customer_fields();

-- Re-stamps every customer whose stored stage differs from its stage as of `as_of`
-- (default: each organisation's own today), optionally for one organisation. One
-- statement; writes only the rows that changed. Returns how many changed.
create or replace function app.restamp_renewal_stages(as_of date default null, org_id uuid default null)
returns integer
language plpgsql
set search_path = ''
as $$
declare
  changed integer;
begin
  with due as (
    select c.id,
           app.calculate_renewal_stage(
             c.renewal_date,
             coalesce(restamp_renewal_stages.as_of, (now() at time zone coalesce(s.time_zone, 'UTC'))::date)
           ) as stage
    from app.customers c
    left join app.organisation_settings s on s.org_id = c.org_id
    where (restamp_renewal_stages.org_id is null or c.org_id = restamp_renewal_stages.org_id)
  )
  update app.customers c
     set renewal_stage = due.stage
    from due
   where c.id = due.id
     and c.renewal_stage is distinct from due.stage;
  get diagnostics changed = row_count;
  return changed;
end;
$$;
comment on function app.restamp_renewal_stages(date, uuid) is 'Re-stamps stale renewal stages (as of a day, default each organisation''s today); returns the number changed.';

grant execute on function app.calculate_account_plan(numeric, integer) to authenticated, service_role;
grant execute on function app.calculate_renewal_stage(date, date) to authenticated, service_role;
grant execute on function app.renewal_stage_urgency(text) to authenticated, service_role;
grant execute on function app.organisation_today(uuid) to authenticated, service_role;
grant execute on function app.restamp_renewal_stages(date, uuid) to authenticated, service_role;

-- pg_cron lives in pg_catalog as on Supabase (its jobs in the `cron` schema). The job runs
-- every hour rather than once at UTC midnight: a stage changes at each organisation's
-- own local midnight, and an hourly run picks that up within the hour. A run that finds
-- nothing stale writes nothing, so in effect each customer is re-stamped once a day.
create extension if not exists pg_cron with schema pg_catalog;

select cron.schedule(
  'restamp-renewal-stages',
  '5 * * * *',
  $$select app.restamp_renewal_stages()$$
);
