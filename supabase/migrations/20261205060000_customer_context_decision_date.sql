-- get_customer_context runs on the decision date (docs/contracts.md "Renewal clock: the decision
-- date"; docs/contracts.md).
--
-- What and why: the queue and the stored stage already come from app.customers.decision_date
-- (20261204500000); the customer context still computed its stage from the renewal date, so
-- the context panel and the assistant's snapshot (app.chat_customer_context reads this
-- function) could say "Negotiate" for a customer whose notice deadline is next week. Now
-- `customer` and `workflow` carry `decision_date` and `days_until_decision` beside
-- `renewal_date` / `days_until_renewal`, and `renewal_stage` is computed from the decision
-- date as of today. The contract in force also shows its `terms` (where confirmed
-- extraction fields such as the term, price cap and payment terms are kept).
-- Only app.customer_context changes; the API function and its grants stay as they are.

create or replace function app.customer_context(customer_id uuid, execution_id uuid)
returns jsonb
language plpgsql
stable
security definer -- row-level security would re-run the membership helper for each of ~25 table reads; this reads one organisation's rows, filtered explicitly
set search_path = ''
as $$
declare
  v_now constant timestamptz := now();
  v_window_start constant timestamptz := now() - interval '90 days';
  v_customer app.customers;
  v_customer_id uuid;
  v_today date;
  v_time_zone text;
  v_days integer;
  v_days_decision integer;
  -- intelligence
  v_scores_latest app.customer_score_history;
  v_scores_base app.customer_score_history;
  -- financials
  v_arr_latest app.arr_history;
  v_arr_previous app.arr_history;
  v_arr_base app.arr_history;
  v_arr_changed_at timestamptz;
  v_current_arr numeric;
  v_contract app.contracts;
  v_arr_series jsonb;
  v_usage_series jsonb;
  -- usage
  v_usage_latest app.usage_snapshots;
  v_usage_base app.usage_snapshots;
  -- engagement
  v_last_contact app.engagement_events;
  v_nps app.engagement_events;
  v_last_qbr timestamptz;
  v_next_qbr timestamptz;
  v_ticket_events boolean;
  v_open_tickets integer;
  v_newest_event timestamptz;
  -- workflow
  v_execution record;
  v_open_executions jsonb;
  -- account team
  v_team jsonb;
  v_team_updated timestamptz;
  v_stakeholders jsonb;
  v_stakeholders_updated timestamptz;
begin
  -- Guard: exactly one way to name the customer.
  if (customer_context.customer_id is null) = (customer_context.execution_id is null) then
    raise exception 'Pass exactly one of customer_id or execution_id' using errcode = '22023',
      hint = 'Call get_customer_context(customer_id => ...) or get_customer_context(execution_id => ...).';
  end if;

  if customer_context.execution_id is not null then
    select e.customer_id into v_customer_id
      from app.workflow_executions e
     where e.id = customer_context.execution_id
       and e.org_id = (select app.current_org_id());
    if not found then
      raise exception 'Workflow execution not found' using errcode = 'PT404',
        hint = 'Check the execution id; you only see executions of your own organisation.';
    end if;
  else
    v_customer_id := customer_context.customer_id;
  end if;

  select * into v_customer
    from app.customers c
   where c.id = v_customer_id
     and c.org_id = (select app.current_org_id());
  if not found then
    raise exception 'Customer not found' using errcode = 'PT404',
      hint = 'Check the customer id; you only see customers of your own organisation.';
  end if;

  select coalesce(
           (select st.time_zone from app.organisation_settings st where st.org_id = v_customer.org_id), 'UTC')
    into v_time_zone;
  v_today := (v_now at time zone v_time_zone)::date;
  v_days := v_customer.renewal_date - v_today;
  -- The stage runs on the decision date (the notice deadline when the contract auto-renews).
  v_days_decision := v_customer.decision_date - v_today;

  ---------------------------------------------------------------------------------------
  -- Intelligence: health, risk and opportunity with their 90-day trends.
  ---------------------------------------------------------------------------------------
  select * into v_scores_latest
    from app.customer_score_history h
   where h.customer_id = v_customer.id and h.org_id = v_customer.org_id and h.recorded_at <= v_now
   order by h.recorded_at desc
   limit 1;
  if v_scores_latest.id is not null then
    -- The value in effect 90 days ago, else the oldest one since (but not the latest itself).
    select * into v_scores_base
      from app.customer_score_history h
     where h.customer_id = v_customer.id and h.org_id = v_customer.org_id
       and h.recorded_at <= v_window_start and h.recorded_at < v_scores_latest.recorded_at
     order by h.recorded_at desc
     limit 1;
    if v_scores_base.id is null then
      select * into v_scores_base
        from app.customer_score_history h
       where h.customer_id = v_customer.id and h.org_id = v_customer.org_id
         and h.recorded_at > v_window_start and h.recorded_at < v_scores_latest.recorded_at
       order by h.recorded_at asc
       limit 1;
    end if;
  end if;

  ---------------------------------------------------------------------------------------
  -- Financials: ARR from its history (current, previous value, 90-day trend), contract.
  ---------------------------------------------------------------------------------------
  select * into v_arr_latest
    from app.arr_history h
   where h.customer_id = v_customer.id and h.org_id = v_customer.org_id and h.recorded_at <= v_now
   order by h.recorded_at desc, h.created_at desc
   limit 1;
  v_current_arr := coalesce(v_arr_latest.arr, v_customer.arr);
  if v_arr_latest.id is not null then
    -- The ARR before the last change (history may repeat an unchanged value).
    select * into v_arr_previous
      from app.arr_history h
     where h.customer_id = v_customer.id and h.org_id = v_customer.org_id
       and h.recorded_at < v_arr_latest.recorded_at and h.arr <> v_arr_latest.arr
     order by h.recorded_at desc, h.created_at desc
     limit 1;
    if v_arr_previous.id is not null then
      select min(h.recorded_at) into v_arr_changed_at
        from app.arr_history h
       where h.customer_id = v_customer.id and h.org_id = v_customer.org_id
         and h.recorded_at > v_arr_previous.recorded_at and h.recorded_at <= v_arr_latest.recorded_at;
    end if;
    select * into v_arr_base
      from app.arr_history h
     where h.customer_id = v_customer.id and h.org_id = v_customer.org_id
       and h.recorded_at <= v_window_start and h.recorded_at < v_arr_latest.recorded_at
     order by h.recorded_at desc, h.created_at desc
     limit 1;
    if v_arr_base.id is null then
      select * into v_arr_base
        from app.arr_history h
       where h.customer_id = v_customer.id and h.org_id = v_customer.org_id
         and h.recorded_at > v_window_start and h.recorded_at < v_arr_latest.recorded_at
       order by h.recorded_at asc, h.created_at asc
       limit 1;
    end if;
  end if;

  -- The series behind the charts: the last year of ARR (with the value in effect when the
  -- year began, so the line starts at the left edge) and the last 180 days of usage.
  select coalesce(jsonb_agg(jsonb_build_object('recorded_at', x.recorded_at, 'arr', x.arr) order by x.recorded_at, x.created_at), '[]'::jsonb)
    into v_arr_series
    from (
      (select h.recorded_at, h.created_at, h.arr
         from app.arr_history h
        where h.customer_id = v_customer.id and h.org_id = v_customer.org_id
          and h.recorded_at <= v_now - interval '365 days'
        order by h.recorded_at desc, h.created_at desc
        limit 1)
      union all
      (select h.recorded_at, h.created_at, h.arr
         from app.arr_history h
        where h.customer_id = v_customer.id and h.org_id = v_customer.org_id
          and h.recorded_at > v_now - interval '365 days' and h.recorded_at <= v_now
        order by h.recorded_at desc, h.created_at desc
        limit 100)
    ) x;

  -- The contract in force: active, latest end date first.
  select * into v_contract
    from app.contracts k
   where k.customer_id = v_customer.id and k.org_id = v_customer.org_id and k.status = 'active'
   order by k.end_date desc nulls first, k.start_date desc
   limit 1;

  ---------------------------------------------------------------------------------------
  -- Usage: the latest snapshot and the one 90 days back.
  ---------------------------------------------------------------------------------------
  select * into v_usage_latest
    from app.usage_snapshots u
   where u.customer_id = v_customer.id and u.org_id = v_customer.org_id and u.recorded_at <= v_now
   order by u.recorded_at desc
   limit 1;
  if v_usage_latest.id is not null then
    select * into v_usage_base
      from app.usage_snapshots u
     where u.customer_id = v_customer.id and u.org_id = v_customer.org_id
       and u.recorded_at <= v_window_start and u.recorded_at < v_usage_latest.recorded_at
     order by u.recorded_at desc
     limit 1;
    if v_usage_base.id is null then
      select * into v_usage_base
        from app.usage_snapshots u
       where u.customer_id = v_customer.id and u.org_id = v_customer.org_id
         and u.recorded_at > v_window_start and u.recorded_at < v_usage_latest.recorded_at
       order by u.recorded_at asc
       limit 1;
    end if;
  end if;

  select coalesce(jsonb_agg(jsonb_build_object(
           'recorded_at', x.recorded_at, 'active_users', x.active_users, 'licensed_seats', x.licensed_seats
         ) order by x.recorded_at), '[]'::jsonb)
    into v_usage_series
    from (
      select u.recorded_at, u.active_users, u.licensed_seats
        from app.usage_snapshots u
       where u.customer_id = v_customer.id and u.org_id = v_customer.org_id
         and u.recorded_at > v_now - interval '180 days' and u.recorded_at <= v_now
       order by u.recorded_at desc
       limit 60
    ) x;

  ---------------------------------------------------------------------------------------
  -- Engagement: last contact, QBRs, NPS, open tickets (a future event is scheduled).
  ---------------------------------------------------------------------------------------
  select * into v_last_contact
    from app.engagement_events e
   where e.customer_id = v_customer.id and e.org_id = v_customer.org_id
     and e.event_type in ('meeting', 'email', 'call', 'qbr') and e.occurred_at <= v_now
   order by e.occurred_at desc
   limit 1;

  select * into v_nps
    from app.engagement_events e
   where e.customer_id = v_customer.id and e.org_id = v_customer.org_id and e.event_type = 'nps' and e.occurred_at <= v_now
   order by e.occurred_at desc
   limit 1;

  select max(e.occurred_at) into v_last_qbr
    from app.engagement_events e
   where e.customer_id = v_customer.id and e.org_id = v_customer.org_id and e.event_type = 'qbr' and e.occurred_at <= v_now;
  select min(e.occurred_at) into v_next_qbr
    from app.engagement_events e
   where e.customer_id = v_customer.id and e.org_id = v_customer.org_id and e.event_type = 'qbr' and e.occurred_at > v_now;

  select exists (
    select 1 from app.engagement_events e
     where e.customer_id = v_customer.id and e.org_id = v_customer.org_id and e.event_type = 'support_ticket'
  ) into v_ticket_events;
  if v_ticket_events then
    select count(*) into v_open_tickets
      from app.engagement_events e
     where e.customer_id = v_customer.id and e.org_id = v_customer.org_id
       and e.event_type = 'support_ticket' and e.ticket_status in ('open', 'pending');
  end if;

  select e.occurred_at into v_newest_event
    from app.engagement_events e
   where e.customer_id = v_customer.id and e.org_id = v_customer.org_id and e.occurred_at <= v_now
   order by e.occurred_at desc
   limit 1;

  ---------------------------------------------------------------------------------------
  -- Workflow: the execution asked about, else the open renewal execution.
  ---------------------------------------------------------------------------------------
  if customer_context.execution_id is not null then
    select e.id, w.key as workflow_key, w.name as workflow_name, w.workflow_type, e.status,
           e.priority_score, e.priority_factors, e.renewal_stage, e.current_step_key,
           e.assigned_to, e.snoozed_until, e.created_at, e.updated_at
      into v_execution
      from app.workflow_executions e
      join app.workflows w on w.id = e.workflow_id
     where e.id = customer_context.execution_id and e.org_id = v_customer.org_id;
  else
    select e.id, w.key as workflow_key, w.name as workflow_name, w.workflow_type, e.status,
           e.priority_score, e.priority_factors, e.renewal_stage, e.current_step_key,
           e.assigned_to, e.snoozed_until, e.created_at, e.updated_at
      into v_execution
      from app.workflow_executions e
      join app.workflows w on w.id = e.workflow_id
     where e.customer_id = v_customer.id and e.org_id = v_customer.org_id
       and w.workflow_type = 'renewal'
       and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
     order by e.created_at desc
     limit 1;
  end if;

  select coalesce(jsonb_agg(jsonb_build_object(
           'id', o.id, 'workflow_key', o.key, 'workflow_type', o.workflow_type,
           'status', o.status, 'priority_score', o.priority_score
         ) order by o.priority_score desc, o.id), '[]'::jsonb)
    into v_open_executions
    from (
      select e.id, w.key, w.workflow_type, e.status, e.priority_score
        from app.workflow_executions e
        join app.workflows w on w.id = e.workflow_id
       where e.customer_id = v_customer.id and e.org_id = v_customer.org_id
         and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
       order by e.priority_score desc, e.id
       limit 20
    ) o;

  ---------------------------------------------------------------------------------------
  -- Account team: people from profiles, stakeholders of the customer.
  ---------------------------------------------------------------------------------------
  select jsonb_object_agg(t.part, jsonb_build_object(
           'id', p.id, 'full_name', p.full_name, 'email', p.email, 'title', p.title, 'role', p.role
         )),
         max(p.updated_at)
    into v_team, v_team_updated
    from (values ('csm', v_customer.assigned_to),
                 ('account_executive', v_customer.account_executive_id),
                 ('support_engineer', v_customer.support_engineer_id)) as t(part, person_id)
    join app.profiles p on p.id = t.person_id and p.org_id = v_customer.org_id;

  select coalesce(jsonb_agg(jsonb_build_object(
           'id', s.id, 'name', s.name, 'email', s.email, 'title', s.title, 'role', s.role,
           'influence', s.influence, 'is_champion', s.is_champion,
           'is_decision_maker', s.is_decision_maker, 'last_contacted_at', s.last_contacted_at
         ) order by s.is_decision_maker desc, s.is_champion desc,
                    case s.influence when 'high' then 0 when 'medium' then 1 when 'low' then 2 else 3 end,
                    s.name, s.id), '[]'::jsonb),
         max(s.updated_at)
    into v_stakeholders, v_stakeholders_updated
    from (
      select * from app.stakeholders s
       where s.customer_id = v_customer.id and s.org_id = v_customer.org_id
       order by s.name
       limit 100
    ) s;

  return jsonb_build_object(
    'customer', jsonb_build_object(
      'id', v_customer.id,
      'external_id', v_customer.external_id,
      'name', v_customer.name,
      'domain', v_customer.domain,
      'industry', v_customer.industry,
      'arr', v_customer.arr,
      'health_score', v_customer.health_score,
      'risk_score', v_customer.risk_score,
      'opportunity_score', v_customer.opportunity_score,
      'account_plan', v_customer.account_plan,
      'renewal_date', v_customer.renewal_date,
      'days_until_renewal', v_days,
      'decision_date', v_customer.decision_date,
      'days_until_decision', v_days_decision,
      'renewal_stage', app.calculate_renewal_stage(v_customer.decision_date, v_today),
      'assigned_to', v_customer.assigned_to,
      'account_executive_id', v_customer.account_executive_id,
      'support_engineer_id', v_customer.support_engineer_id,
      'metadata', v_customer.metadata,
      'created_at', v_customer.created_at,
      'updated_at', v_customer.updated_at
    ),
    'intelligence', jsonb_build_object(
      'trend_window_days', 90,
      'health', jsonb_build_object(
        'score', v_customer.health_score,
        'baseline', v_scores_base.health_score,
        'baseline_at', case when v_scores_base.health_score is not null then v_scores_base.recorded_at end,
        'change', v_customer.health_score - v_scores_base.health_score,
        'trend', app.trend_direction(v_customer.health_score, v_scores_base.health_score, 5)
      ),
      'risk', jsonb_build_object(
        'score', v_customer.risk_score,
        'baseline', v_scores_base.risk_score,
        'baseline_at', case when v_scores_base.risk_score is not null then v_scores_base.recorded_at end,
        'change', v_customer.risk_score - v_scores_base.risk_score,
        'trend', app.trend_direction(v_customer.risk_score, v_scores_base.risk_score, 5)
      ),
      'opportunity', jsonb_build_object(
        'score', v_customer.opportunity_score,
        'baseline', v_scores_base.opportunity_score,
        'baseline_at', case when v_scores_base.opportunity_score is not null then v_scores_base.recorded_at end,
        'change', v_customer.opportunity_score - v_scores_base.opportunity_score,
        'trend', app.trend_direction(v_customer.opportunity_score, v_scores_base.opportunity_score, 5)
      )
    ),
    'data', jsonb_build_object(
      'financials', jsonb_build_object(
        'current_arr', v_current_arr,
        'current_arr_recorded_at', v_arr_latest.recorded_at,
        'previous_arr', v_arr_previous.arr,
        'arr_changed_at', v_arr_changed_at,
        'arr_change', v_current_arr - v_arr_previous.arr,
        'growth_rate', case when v_arr_previous.arr > 0
                            then round((v_current_arr - v_arr_previous.arr) / v_arr_previous.arr, 4) end,
        'baseline_arr', v_arr_base.arr,
        'baseline_at', v_arr_base.recorded_at,
        'trend', app.trend_direction(v_current_arr, v_arr_base.arr, 0.01),
        'history', v_arr_series,
        'contract', case when v_contract.id is null then null else jsonb_build_object(
          'id', v_contract.id,
          'contract_number', v_contract.contract_number,
          'status', v_contract.status,
          'start_date', v_contract.start_date,
          'end_date', v_contract.end_date,
          'annual_value', v_contract.annual_value,
          'currency', v_contract.currency,
          'auto_renew', v_contract.auto_renew,
          'notice_period_days', v_contract.notice_period_days,
          'terms', v_contract.terms
        ) end
      ),
      'usage', jsonb_build_object(
        'active_users', v_usage_latest.active_users,
        'licensed_seats', v_usage_latest.licensed_seats,
        'utilisation', case when v_usage_latest.licensed_seats > 0
                            then round(v_usage_latest.active_users::numeric / v_usage_latest.licensed_seats, 4) end,
        'recorded_at', v_usage_latest.recorded_at,
        'metrics', v_usage_latest.metrics,
        'baseline_active_users', v_usage_base.active_users,
        'baseline_at', v_usage_base.recorded_at,
        -- 5% of the baseline, at least one user.
        'trend', app.trend_direction(v_usage_latest.active_users, v_usage_base.active_users,
                                     greatest(0.05 * v_usage_base.active_users, 1)),
        'history', v_usage_series
      ),
      'engagement', jsonb_build_object(
        'last_contact_at', v_last_contact.occurred_at,
        'last_contact_type', v_last_contact.event_type,
        'days_since_last_contact', v_today - (v_last_contact.occurred_at at time zone v_time_zone)::date,
        'last_qbr_at', v_last_qbr,
        'next_qbr_at', v_next_qbr,
        'nps_score', v_nps.nps_score,
        'nps_recorded_at', v_nps.occurred_at,
        'open_tickets', v_open_tickets
      )
    ),
    'workflow', jsonb_build_object(
      'renewal_date', v_customer.renewal_date,
      'days_until_renewal', v_days,
      'decision_date', v_customer.decision_date,
      'days_until_decision', v_days_decision,
      'renewal_stage', app.calculate_renewal_stage(v_customer.decision_date, v_today),
      'account_plan', v_customer.account_plan,
      'priority_score', v_execution.priority_score,
      'execution', case when v_execution.id is null then null else jsonb_build_object(
        'id', v_execution.id,
        'workflow_key', v_execution.workflow_key,
        'workflow_name', v_execution.workflow_name,
        'workflow_type', v_execution.workflow_type,
        'status', v_execution.status,
        'priority_score', v_execution.priority_score,
        'priority_factors', v_execution.priority_factors,
        'renewal_stage', v_execution.renewal_stage,
        'current_step_key', v_execution.current_step_key,
        'assigned_to', v_execution.assigned_to,
        'snoozed_until', v_execution.snoozed_until,
        'created_at', v_execution.created_at
      ) end,
      'open_executions', v_open_executions
    ),
    'account_team', jsonb_build_object(
      'csm', v_team -> 'csm',
      'account_executive', v_team -> 'account_executive',
      'support_engineer', v_team -> 'support_engineer',
      'stakeholders', v_stakeholders
    ),
    'freshness', jsonb_build_object(
      'as_of', v_now,
      'today', v_today,
      'customer', v_customer.updated_at,
      'intelligence', v_scores_latest.recorded_at,
      'financials', greatest(v_arr_latest.recorded_at, v_contract.updated_at),
      'usage', v_usage_latest.recorded_at,
      'engagement', v_newest_event,
      'workflow', v_execution.updated_at,
      'account_team', greatest(v_team_updated, v_stakeholders_updated)
    )
  );
end;
$$;
comment on function app.customer_context(uuid, uuid) is 'The body of get_customer_context for a customer of the caller''s organisation (PT404 otherwise).';
grant execute on function app.customer_context(uuid, uuid) to authenticated;
