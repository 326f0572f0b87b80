-- Confirming a contract's terms makes one contract in force, however many tabs confirm at
-- once (docs/contracts.md).
--
-- What a person saw before: a customer without a contract in force, whose document was
-- extracted twice (a second tab, a second click of Extract), had its terms confirmed on
-- both extractions at about the same time: each confirmation locked its own extraction,
-- looked for the contract in force, found none (`for update` locks nothing when there is
-- no row), and inserted one. The customer ended with two active contracts, and which one
-- the renewal, the notice deadline and the next confirmation read depended on their order.
--
-- Now: app.apply_confirmed_contract_fields locks the customer's row first (`for no key
-- update`), so confirmations for one customer take turns; the second finds the contract
-- the first made and updates it. The customer's open renewals are locked before it, in the
-- order record_renewal_outcome locks them: with the customer alone first, a confirmed end
-- date (which rewrites the renewal's row through the customer's triggers) and an outcome
-- recorded at the same moment deadlocked (40P01, seen in the test below). Restated whole
-- from 20261204000300_customers_and_contracts.sql; these two locks are the only change.
-- tests/integration/contract-confirm-races.test.ts holds both races open.

-- Writes confirmed values to the customer's contract in force (creating one when there is
-- none) and the renewal date. Definer: a csm confirms terms, while contracts and customers
-- are written by managers and admins under RLS; confirm_contract_fields checks the caller.
create or replace function app.apply_confirmed_contract_fields(extraction_id uuid, applied jsonb)
returns uuid
language plpgsql
volatile
security definer -- writes contracts and customers on behalf of a csm who confirmed the terms
set search_path = ''
as $$
declare
  v_x app.contract_extractions;
  v_contract app.contracts;
  v_terms jsonb;
  v_start date;
  v_end date;
begin
  select * into v_x from app.contract_extractions x where x.id = apply_confirmed_contract_fields.extraction_id;
  -- The customer first, so confirmations for one customer take turns and the second finds
  -- the contract the first made (with no contract in force, the `for update` below locks
  -- nothing). Its open renewals before it, in the order record_renewal_outcome takes them
  -- (app.lock_customer_awaiting_outcome): a confirmed end date moves the renewal (the
  -- customer's triggers rewrite its row), and taken the other way round, a confirmation and
  -- an outcome each held what the other waited for (40P01).
  perform 1 from app.workflow_executions e
   where e.customer_id = v_x.customer_id and e.org_id = v_x.org_id
     and e.status in ('queued', 'in_progress', 'snoozed', 'escalated') and e.renewal_stage is not null
   order by e.id
   for no key update;
  perform 1 from app.customers c where c.id = v_x.customer_id and c.org_id = v_x.org_id for no key update;
  select * into v_contract from app.contracts k
   where k.customer_id = v_x.customer_id and k.org_id = v_x.org_id and k.status = 'active'
   order by k.end_date desc nulls first, k.start_date desc
   limit 1
   for update;
  if v_contract.id is null then
    insert into app.contracts (org_id, customer_id, status, start_date, document_url)
    values (v_x.org_id, v_x.customer_id, 'active',
            coalesce((applied ->> 'start_date')::date, app.organisation_today(v_x.org_id)), 'contracts/' || v_x.object_path)
    returning * into v_contract;
  end if;

  v_start := coalesce((applied ->> 'start_date')::date, v_contract.start_date);
  v_end := case when applied ? 'end_date' then (applied ->> 'end_date')::date else v_contract.end_date end;
  if v_end is not null and v_end < v_start then
    raise exception 'The end date % is before the start date %', v_end, v_start using errcode = '22023',
      hint = 'Correct the start or the end date.';
  end if;
  v_terms := v_contract.terms || jsonb_strip_nulls(jsonb_build_object(
    'term_months', applied -> 'term_months',
    'price_increase_cap_pct', applied -> 'price_increase_cap_pct',
    'termination_for_convenience', applied -> 'termination_for_convenience',
    'payment_terms', applied -> 'payment_terms'));

  update app.contracts k
     set start_date = v_start,
         end_date = v_end,
         auto_renew = coalesce((applied ->> 'auto_renew')::boolean, k.auto_renew),
         notice_period_days = case when applied ? 'notice_period_days' then (applied ->> 'notice_period_days')::integer else k.notice_period_days end,
         annual_value = case when applied ? 'annual_value' then (applied ->> 'annual_value')::numeric else k.annual_value end,
         currency = coalesce(applied ->> 'currency', k.currency),
         terms = v_terms,
         document_url = 'contracts/' || v_x.object_path
   where k.id = v_contract.id;

  -- The customer renews the day after the term ends (the contracts trigger re-stages it).
  if applied ? 'end_date' then
    update app.customers c set renewal_date = v_end + 1
     where c.id = v_x.customer_id and c.org_id = v_x.org_id and c.renewal_date is distinct from v_end + 1;
  end if;
  return v_contract.id;
end;
$$;

revoke execute on function app.apply_confirmed_contract_fields(uuid, jsonb) from public, anon, authenticated;

