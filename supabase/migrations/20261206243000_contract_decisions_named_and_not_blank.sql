-- A contract field's decision says what it means: a confirmed payment term is not blank,
-- and a decision is {key, value} or {key, reject: true}, nothing else (docs/contracts.md
-- "Confirming", docs/api-contract.md).
--
-- What and why: confirm_contract_fields checked a payment term with btrim, which strips
-- spaces only, so " \u200b " (a zero-width space between spaces) was confirmed and written
-- to the contract as "\u200b": payment terms that show as nothing. A decision's other keys
-- were dropped without a word: {"key": "end_date", "value": "2027-01-01", "zz": 1} applied,
-- {"key": "end_date", "value": "2027-01-01", "reject": true} rejected the field and
-- threw the typed value away, and "reject": "yes" was read as no rejection. Now:
-- - payment terms are checked and stored with app.trimmed (20261206226000): blank is
--   22023 "Payment terms must be 1 to 200 characters";
-- - a decision naming a key other than key, value and reject is 22023 naming them;
--   reject must be true or false; a value together with "reject": true is 22023.
-- Checked before anything is written, as before: a refused call changes nothing.
--
-- app.contract_field_value restated whole from 20261205193000, app.decide_contract_fields
-- from 20261204000300; the checks above are the only change.
-- supabase/tests/contract_extractions/a_decision_says_what_it_means.test.sql.

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
      if app.trimmed(v_text) is null or length(v_text) > 200 then
        raise exception 'Payment terms must be 1 to 200 characters' using errcode = '22023', hint = 'For example "Net 30".';
      end if;
      return to_jsonb(app.trimmed(v_text));
    else
      raise exception 'Unknown contract field %', field_key using errcode = '22023',
        hint = 'Fields: ' || array_to_string(app.contract_field_keys(), ', ') || '.';
  end case;
end;
$$;

create or replace function app.decide_contract_fields(extraction_id uuid, fields jsonb)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_item jsonb;
  v_key text;
  v_value jsonb;
  v_applied jsonb := '{}'::jsonb;
  v_seen text[] := '{}'::text[];
  v_person uuid := (select auth.uid());
begin
  -- Guard: the caller's organisation and role; one set of decisions at a time per extraction.
  perform 1 from app.contract_extractions x
   where x.id = decide_contract_fields.extraction_id and x.org_id = app.current_org_id()
     for update;
  if not found then
    raise exception 'Contract extraction not found' using errcode = 'PT404',
      hint = 'Check the id; you only see extractions of your own organisation.';
  end if;
  if not app.has_role('csm', 'manager', 'admin') then
    raise exception 'Only a csm, manager or admin can confirm contract terms' using errcode = '42501',
      hint = 'Ask a colleague with one of those roles.';
  end if;

  for v_item in select f.value from jsonb_array_elements(decide_contract_fields.fields) as f(value) loop
    v_key := case when jsonb_typeof(v_item) = 'object' then v_item ->> 'key' end;
    if v_key is null or not (v_key = any (app.contract_field_keys())) then
      raise exception 'Unknown contract field %', coalesce(v_key, '(none)') using errcode = '22023',
        hint = 'Fields: ' || array_to_string(app.contract_field_keys(), ', ') || '.';
    end if;
    if v_key = any (v_seen) then
      raise exception 'The field % is named twice', v_key using errcode = '22023', hint = 'Name each field once.';
    end if;
    v_seen := v_seen || v_key;
    -- A decision is {key, value} or {key, reject: true}: anything else is a mistake to name,
    -- never a part of it silently dropped.
    if exists (select 1 from jsonb_object_keys(v_item) k where k not in ('key', 'value', 'reject')) then
      raise exception 'The decision on % has unknown keys: %', v_key,
        (select string_agg(k, ', ' order by k) from jsonb_object_keys(v_item) k where k not in ('key', 'value', 'reject'))
        using errcode = '22023', hint = 'Send {"key": "...", "value": ...} or {"key": "...", "reject": true}.';
    end if;
    if v_item ? 'reject' and jsonb_typeof(v_item -> 'reject') <> 'boolean' then
      raise exception 'reject of % must be true or false', v_key using errcode = '22023',
        hint = 'Send "reject": true to reject the field, or leave reject out.';
    end if;
    if v_item -> 'reject' = 'true'::jsonb and v_item ? 'value' then
      raise exception 'The field % has a value and "reject": true; send one of them', v_key using errcode = '22023',
        hint = 'A value confirms or corrects the field; "reject": true rejects it.';
    end if;

    if v_item -> 'reject' = 'true'::jsonb then
      update app.contract_extraction_fields f
         set status = 'rejected', confirmed_value = null, decided_by = v_person, decided_at = now()
       where f.extraction_id = decide_contract_fields.extraction_id and f.field_key = v_key;
      continue;
    end if;
    if not (v_item ? 'value') or jsonb_typeof(v_item -> 'value') = 'null' then
      raise exception 'The field % needs a value (or "reject": true)', v_key using errcode = '22023',
        hint = 'Confirm the proposed value, type the right one, or reject the field.';
    end if;
    v_value := app.contract_field_value(v_key, v_item -> 'value');
    update app.contract_extraction_fields f
       set status = case when v_value = f.proposed_value then 'confirmed' else 'corrected' end,
           confirmed_value = v_value, decided_by = v_person, decided_at = now()
     where f.extraction_id = decide_contract_fields.extraction_id and f.field_key = v_key;
    v_applied := v_applied || jsonb_build_object(v_key, v_value);
  end loop;

  if v_applied = '{}'::jsonb then
    return jsonb_build_object('contract_id', null, 'applied', v_applied);
  end if;
  return jsonb_build_object('contract_id', app.apply_confirmed_contract_fields(decide_contract_fields.extraction_id, v_applied),
                            'applied', v_applied);
end;
$$;

