-- A contract term's value is of its field's JSON type, and a customer's contract terms are
-- confirmed by the customer's CSM, a manager or an admin (docs/contracts.md "Review and
-- confirmation", docs/business-rules.md).
--
-- What and why:
-- 1. app.contract_field_value read a value by its text, so `{"key": "notice_period_days",
--    "value": "60"}` was taken as 60 days, `"48000"` as an annual value and `30` as payment
--    terms "30". Every other RPC takes a number as a JSON number and text as a JSON string
--    (app.is_whole_number: 30, not 30.0 or "30"). Now each field says the JSON type it
--    takes, and a value of another type is 22023 naming the field and the type: whole days
--    and months are whole numbers (app.is_whole_number), an amount or a percentage a
--    number, dates, the currency and the payment terms strings, the two yes/no fields
--    booleans. The ranges are unchanged. The web app's review already sends numbers; the
--    extraction's model is read by the same rule, its numbers written as text read as
--    numbers where its answer is parsed (functions-shared/contracts/ollama.ts), before the
--    rule sees them. It is also the rule of an ingested contract's `terms`
--    (migration 20261208702000).
-- 2. confirm_contract_fields let any CSM of the organisation confirm the terms of any
--    customer, so a CSM could move another CSM's customer's renewal date, notice period and
--    value. The other calls that change a customer's renewal (set_renewal_forecast,
--    record_renewal_outcome) take the rule of a CSM's work: their own, or what is nobody's.
--    So here: the customer's CSM, any CSM when the customer has none, a manager or an admin
--    (app.can_work_on_customer); anyone else of the organisation is 42501, and another
--    organisation's extraction stays PT404 (visibility first).
--
-- app.contract_field_value restated whole from 20261206243000; public.confirm_contract_fields
-- restated whole from 20261206230000 (the role check became the customer check).
-- supabase/tests/contract_extractions/terms_are_typed_and_confirmed_by_the_customers_csm.test.sql.

-- The JSON type each contract field's value takes.
create or replace function app.contract_field_json_type(field_key text)
returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case
    when field_key in ('auto_renew', 'termination_for_convenience') then 'boolean'
    when field_key in ('notice_period_days', 'term_months', 'annual_value', 'price_increase_cap_pct') then 'number'
    else 'string' end
$$;
comment on function app.contract_field_json_type(text) is
  'The JSON type a contract field''s value takes: boolean, number (whole days and months, amounts, a percentage) or string (dates, currency, payment terms).';
revoke execute on function app.contract_field_json_type(text) from public, anon;
grant execute on function app.contract_field_json_type(text) to authenticated, service_role;

create or replace function app.contract_field_value(field_key text, value jsonb)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_type text := app.contract_field_json_type(field_key);
  v_text text := value #>> '{}';
  v_number numeric;
  v_date date;
begin
  if value is null or jsonb_typeof(value) = 'null' then
    return null;
  end if;
  if not (field_key = any (app.contract_field_keys())) then
    raise exception 'Unknown contract field %', field_key using errcode = '22023',
      hint = 'Fields: ' || array_to_string(app.contract_field_keys(), ', ') || '.';
  end if;
  -- A number written as text ("60") is text: the field says what it takes.
  if jsonb_typeof(value) <> v_type then
    raise exception 'The value of % must be a %', field_key,
      case v_type when 'number' then 'number, not text or another kind of value'
                  when 'boolean' then 'boolean (true or false)' else 'string' end
      using errcode = '22023',
      hint = case v_type when 'number' then 'Send it as a JSON number, e.g. 60, not "60".'
                         when 'boolean' then 'Send true or false.'
                         when 'string' then case when field_key in ('start_date', 'end_date') then 'Send a date as text, e.g. "2027-03-29".'
                                                 else 'Send it as text, e.g. "Net 30" or "USD".' end end;
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
      return value;
    when 'notice_period_days', 'term_months' then
      if not app.is_whole_number(value) or v_text::numeric < (case field_key when 'term_months' then 1 else 0 end)
         or v_text::numeric > (case field_key when 'notice_period_days' then 3650 else 600 end) then
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
    else -- payment_terms
      if app.trimmed(v_text) is null or length(v_text) > 200 then
        raise exception 'Payment terms must be 1 to 200 characters' using errcode = '22023', hint = 'For example "Net 30".';
      end if;
      return to_jsonb(app.trimmed(v_text));
  end case;
end;
$$;
comment on function app.contract_field_value(text, jsonb) is
  'Checks and normalises one contract field value, of its field''s JSON type (app.contract_field_json_type; 22023 naming the field when it is not valid). The one rule of a confirmed term, an extraction''s proposal and an ingested contract''s terms.';

-- Who may change a customer: its CSM, any CSM while it has none, a manager or an admin of
-- its organisation (an active person), as app.can_work_on_execution says for a workflow.
create or replace function app.can_work_on_customer(customer_id uuid)
returns boolean
language plpgsql
stable
security definer -- reads the customer and the caller's profile without re-entering their RLS
set search_path = ''
as $$
begin
  return (
    select exists (
      select 1
      from app.customers c
      join app.profiles p on p.id = (select auth.uid()) and p.org_id = c.org_id and p.deactivated_at is null
      where c.id = can_work_on_customer.customer_id
        and (
          p.role in ('manager', 'admin')
          or (p.role = 'csm' and (c.assigned_to is null or c.assigned_to = p.id))
        )
    )
  );
end;
$$;
comment on function app.can_work_on_customer(uuid) is
  'True when the signed-in person may change this customer''s own records, such as its contract terms: its CSM (any CSM while it has none), a manager or an admin.';
revoke execute on function app.can_work_on_customer(uuid) from public, anon;
grant execute on function app.can_work_on_customer(uuid) to authenticated, service_role;

create or replace function public.confirm_contract_fields(extraction_id uuid, fields jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_x app.contract_extractions;
  v_result jsonb;
begin
  perform app.require_given(confirm_contract_fields.extraction_id is not null, 'extraction_id', 'Pass the id of a contract extraction.');
  -- Visibility first (RLS): another organisation's extraction is not found.
  select * into v_x from app.contract_extractions x where x.id = confirm_contract_fields.extraction_id;
  if not found then
    raise exception 'Contract extraction not found' using errcode = 'PT404',
      hint = 'Check the id; you only see extractions of your own organisation.';
  end if;
  if not app.can_work_on_customer(v_x.customer_id) then
    raise exception 'Only the customer''s CSM, a manager or an admin can confirm its contract terms' using errcode = '42501',
      hint = 'Ask the customer''s CSM or a manager to confirm them.';
  end if;
  if confirm_contract_fields.fields is null or jsonb_typeof(confirm_contract_fields.fields) <> 'array'
     or jsonb_array_length(confirm_contract_fields.fields) = 0 then
    raise exception 'fields must be a non-empty array' using errcode = '22023',
      hint = 'Send [{"key": "notice_period_days", "value": 60}] or [{"key": "...", "reject": true}].';
  end if;

  v_result := app.decide_contract_fields(v_x.id, confirm_contract_fields.fields);

  return app.contract_extraction_json(v_x, false)
    || v_result
    || jsonb_build_object('customer', (
         select jsonb_build_object('id', c.id, 'renewal_date', c.renewal_date, 'decision_date', c.decision_date,
                                   'renewal_stage', c.renewal_stage)
           from app.customers c where c.id = v_x.customer_id));
end;
$$;
