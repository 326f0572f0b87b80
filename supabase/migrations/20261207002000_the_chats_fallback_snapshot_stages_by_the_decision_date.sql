-- The assistant's fallback snapshot of a customer stages the renewal by the decision date,
-- as the customer context does (docs/contracts.md "The decision date").
--
-- What and why: app.chat_customer_context records the customer context when a chat thread
-- opens; when get_customer_context cannot answer, it falls back to the customer record. That
-- fallback worked the stage out from the renewal date: a customer whose contract
-- auto-renews with 70 days' notice, renewing in 80 days, was "Prepare" to the assistant
-- while the queue and the context said "Critical" (10 days to the notice deadline), and
-- the snapshot carried no decision date. It now stages by the decision date and carries
-- decision_date and days_until_decision beside the renewal's.
-- Restated whole from 20261204000800; only the fallback's customer fields changed.
-- supabase/tests/get_customer_context/chat_snapshot_carries_the_decision_date.test.sql.
create or replace function app.chat_customer_context(execution_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  context jsonb;
begin
  begin
    context := public.get_customer_context(execution_id => chat_customer_context.execution_id);
  exception when undefined_function or sqlstate 'PT404' or sqlstate '22023' then
    context := null;
  end;
  if context is null then
    select jsonb_build_object(
             'customer', jsonb_build_object(
               'id', c.id, 'name', c.name, 'domain', c.domain, 'industry', c.industry,
               'arr', c.arr, 'health_score', c.health_score, 'account_plan', c.account_plan,
               'renewal_date', c.renewal_date,
               'decision_date', c.decision_date,
               'renewal_stage', app.calculate_renewal_stage(c.decision_date, t.today),
               'days_until_renewal', c.renewal_date - t.today,
               'days_until_decision', c.decision_date - t.today,
               'risk_score', c.risk_score, 'opportunity_score', c.opportunity_score),
             'freshness', jsonb_build_object('source', 'customer record only'))
      into context
      from app.workflow_executions e
      join app.customers c on c.id = e.customer_id and c.org_id = e.org_id
      cross join lateral (select app.organisation_today(c.org_id) as today) t
     where e.id = chat_customer_context.execution_id;
  end if;
  return coalesce(context, '{}'::jsonb);
end;
$$;
