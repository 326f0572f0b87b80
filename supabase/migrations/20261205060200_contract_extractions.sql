-- Contract terms read from the document, with citations, confirmed by a person
-- (docs/contracts.md "Contract documents"; docs/contracts.md "Revenue"; docs/contracts.md).
--
-- What and why:
--   extract-contract (Edge Function) downloads a document from the `contracts` bucket as
--   the caller, reads its text page by page, asks the model for each field's value, verbatim
--   quote, page and confidence, and stores the result with record_contract_extraction
--   (service role only: nobody can store an extraction of a document they did not upload,
--   nor text that is not the document's). A proposal changes nothing. A person then
--   confirms, corrects or rejects each field with confirm_contract_fields; only confirmed
--   values change the contract (and through the contracts trigger the decision date, stage,
--   priority and lane at once).
--
--   field lifecycle:   proposed ──confirm (same value)──▶ confirmed
--                          │    ──confirm (other value)─▶ corrected
--                          └────reject─────────────────▶ rejected
--   A decided field can be decided again (a second look); each decision is kept with who
--   and when on the field.
--
-- The citation rule lives here, in the only writer: a quote must occur verbatim (spaces
-- and line breaks aside) in the stored text of its page, or of another page (the page is
-- then corrected); otherwise the field is stored empty (value, quote and page null,
-- confidence 0) and flagged `quote_discarded`. A model cannot put words in a contract.
--
-- Field keys, their meaning on the contract, and their value types:
--   start_date (date)                  → contracts.start_date
--   end_date (date)                    → contracts.end_date, and the customer renews the
--                                        next day (customers.renewal_date = end_date + 1,
--                                        as the demo data has it)
--   auto_renew (boolean)               → contracts.auto_renew
--   notice_period_days (integer)       → contracts.notice_period_days
--   term_months (integer)              → contracts.terms.term_months
--   annual_value (number)              → contracts.annual_value
--   currency (ISO code)                → contracts.currency
--   price_increase_cap_pct (number)    → contracts.terms.price_increase_cap_pct
--   termination_for_convenience (bool) → contracts.terms.termination_for_convenience
--   payment_terms (text)               → contracts.terms.payment_terms
-- The list is app.contract_field_keys(); functions-shared/contracts/fields.ts mirrors it
-- (a test compares the two).

---------------------------------------------------------------------------------------
-- Tables
---------------------------------------------------------------------------------------

create table app.contract_extractions (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  customer_id uuid not null,
  object_path text not null,
  document_name text not null,
  model text not null,
  pages text[] not null,
  created_by uuid references app.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  constraint contract_extractions_object_path_is_the_customers_folder
    check (object_path like org_id::text || '/' || customer_id::text || '/%'),
  constraint contract_extractions_pages_are_bounded check (cardinality(pages) between 1 and 500),
  constraint contract_extractions_customer_is_in_organisation foreign key (customer_id, org_id)
    references app.customers (id, org_id) on delete cascade
);
create index contract_extractions_customer_idx on app.contract_extractions (customer_id, org_id, created_at desc);
create index contract_extractions_org_id_idx on app.contract_extractions (org_id);
create index contract_extractions_created_by_idx on app.contract_extractions (created_by);
comment on table app.contract_extractions is
  'One extraction run over one contract document: its text by page and the model that read it.';

create table app.contract_extraction_fields (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  extraction_id uuid not null references app.contract_extractions (id) on delete cascade,
  field_key text not null,
  proposed_value jsonb,
  quote text,
  page integer,
  confidence numeric(4, 3) not null default 0,
  quote_discarded boolean not null default false,
  status text not null default 'proposed',
  confirmed_value jsonb,
  decided_by uuid references app.profiles (id) on delete set null,
  decided_at timestamptz,
  constraint contract_extraction_fields_one_per_key unique (extraction_id, field_key),
  constraint contract_extraction_fields_status_is_known check (status in ('proposed', 'confirmed', 'corrected', 'rejected')),
  constraint contract_extraction_fields_confidence_is_a_probability check (confidence between 0 and 1),
  constraint contract_extraction_fields_value_has_a_quote check (proposed_value is null or (quote is not null and page >= 1))
);
create index contract_extraction_fields_org_id_idx on app.contract_extraction_fields (org_id);
create index contract_extraction_fields_decided_by_idx on app.contract_extraction_fields (decided_by);
comment on table app.contract_extraction_fields is
  'A proposed contract field with its verbatim quote, page and confidence, and the person''s decision on it.';

alter table app.contract_extractions enable row level security;
alter table app.contract_extraction_fields enable row level security;

-- Read by the organisation's members; written only by the functions below.
create policy "Members can read their organisation's contract extractions"
  on app.contract_extractions for select to authenticated
  using (org_id = (select app.current_org_id()));
create policy "Members can read their organisation's extracted contract fields"
  on app.contract_extraction_fields for select to authenticated
  using (org_id = (select app.current_org_id()));
grant select on app.contract_extractions, app.contract_extraction_fields to authenticated;
grant select, insert, update, delete on app.contract_extractions, app.contract_extraction_fields to service_role;

---------------------------------------------------------------------------------------
-- Field keys and values
---------------------------------------------------------------------------------------

create or replace function app.contract_field_keys()
returns text[]
language sql
immutable
parallel safe
set search_path = ''
as $$
  select array['start_date', 'end_date', 'auto_renew', 'notice_period_days', 'term_months', 'annual_value',
               'currency', 'price_increase_cap_pct', 'termination_for_convenience', 'payment_terms']
$$;
comment on function app.contract_field_keys() is 'The contract fields extraction proposes, in review order.';
grant execute on function app.contract_field_keys() to authenticated, service_role;

-- A field value in its canonical JSON form, or an exception 22023 naming the field.
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
comment on function app.contract_field_value(text, jsonb) is 'Checks and normalises one contract field value (22023 naming the field when it is not valid).';
grant execute on function app.contract_field_value(text, jsonb) to authenticated, service_role;

-- Spaces and line breaks do not make a quote differ from the text (a PDF breaks lines).
create or replace function app.contract_normalise_text(value text)
returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select btrim(regexp_replace(coalesce(value, ''), '\s+', ' ', 'g'))
$$;
grant execute on function app.contract_normalise_text(text) to authenticated, service_role;

---------------------------------------------------------------------------------------
-- Reading
---------------------------------------------------------------------------------------

create or replace function app.contract_extraction_json(x app.contract_extractions, with_pages boolean)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', x.id,
    'customer_id', x.customer_id,
    'object_path', x.object_path,
    'document_name', x.document_name,
    'model', x.model,
    'page_count', cardinality(x.pages),
    'created_by', x.created_by,
    'created_at', x.created_at,
    'status', case
      when bool_and(f.status <> 'proposed' or f.proposed_value is null) filter (where true) then 'reviewed'
      else 'proposed' end,
    'fields', coalesce(jsonb_agg(jsonb_build_object(
        'key', f.field_key,
        'value', f.proposed_value,
        'quote', f.quote,
        'page', f.page,
        'confidence', f.confidence,
        'quote_discarded', f.quote_discarded,
        'status', f.status,
        'confirmed_value', f.confirmed_value,
        'decided_by', f.decided_by,
        'decided_at', f.decided_at)
      order by array_position(app.contract_field_keys(), f.field_key)), '[]'::jsonb)
  ) || case when with_pages then jsonb_build_object('pages', to_jsonb(x.pages)) else '{}'::jsonb end
  from app.contract_extraction_fields f
  where f.extraction_id = x.id and f.org_id = x.org_id
$$;
grant execute on function app.contract_extraction_json(app.contract_extractions, boolean) to authenticated, service_role;

create or replace function public.list_contract_extractions(customer_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  perform 1 from app.customers c where c.id = list_contract_extractions.customer_id;
  if not found then
    raise exception 'Customer not found' using errcode = 'PT404',
      hint = 'Check the customer id; you only see customers of your own organisation.';
  end if;
  return coalesce((
    select jsonb_agg(app.contract_extraction_json(x, false) order by x.created_at desc, x.id)
      from app.contract_extractions x
     where x.customer_id = list_contract_extractions.customer_id
  ), '[]'::jsonb);
end;
$$;
comment on function public.list_contract_extractions(uuid) is
  'A customer''s contract extractions, newest first, each with its fields (value, quote, page, confidence, decision).';
revoke execute on function public.list_contract_extractions(uuid) from public, anon;
grant execute on function public.list_contract_extractions(uuid) to authenticated;

create or replace function public.get_contract_extraction(extraction_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_x app.contract_extractions;
begin
  select * into v_x from app.contract_extractions x where x.id = get_contract_extraction.extraction_id;
  if not found then
    raise exception 'Contract extraction not found' using errcode = 'PT404',
      hint = 'Check the id; you only see extractions of your own organisation.';
  end if;
  return app.contract_extraction_json(v_x, true);
end;
$$;
comment on function public.get_contract_extraction(uuid) is 'One contract extraction with its fields and the document''s text by page (for the review screen).';
revoke execute on function public.get_contract_extraction(uuid) from public, anon;
grant execute on function public.get_contract_extraction(uuid) to authenticated;

---------------------------------------------------------------------------------------
-- Recording (service role only)
---------------------------------------------------------------------------------------

create or replace function public.record_contract_extraction(
  requested_by uuid,
  customer_id uuid,
  object_path text,
  model text,
  pages text[],
  fields jsonb
)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_customer app.customers;
  v_role text;
  v_id uuid;
  v_field jsonb;
  v_key text;
  v_value jsonb;
  v_quote text;
  v_page integer;
  v_found integer;
  v_confidence numeric;
  v_normal_pages text[];
  v_x app.contract_extractions;
begin
  select * into v_customer from app.customers c where c.id = record_contract_extraction.customer_id;
  if not found then
    raise exception 'Customer not found' using errcode = 'PT404', hint = 'Check the customer id.';
  end if;
  select p.role into v_role from app.profiles p
   where p.id = record_contract_extraction.requested_by and p.org_id = v_customer.org_id;
  if v_role is null or v_role not in ('csm', 'manager', 'admin') then
    raise exception 'Only a csm, manager or admin of the customer''s organisation can extract a contract' using errcode = '42501',
      hint = 'Ask a colleague with one of those roles.';
  end if;
  if object_path is null
     or split_part(object_path, '/', 1) <> v_customer.org_id::text
     or split_part(object_path, '/', 2) <> v_customer.id::text
     or not exists (select 1 from storage.objects o where o.bucket_id = 'contracts' and o.name = record_contract_extraction.object_path) then
    raise exception 'The document is not one of this customer''s contract documents' using errcode = 'PT404',
      hint = 'Upload it to contracts/<organisation>/<customer>/ first.';
  end if;
  if pages is null or cardinality(pages) = 0 then
    raise exception 'The document has no text' using errcode = '22023',
      hint = 'Upload a PDF with a text layer or a plain text file.';
  end if;
  if fields is null or jsonb_typeof(fields) <> 'array' then
    raise exception 'fields must be an array' using errcode = '22023', hint = 'One object per field.';
  end if;

  insert into app.contract_extractions (org_id, customer_id, object_path, document_name, model, pages, created_by)
  values (v_customer.org_id, v_customer.id, object_path, split_part(object_path, '/', 3), coalesce(nullif(model, ''), 'unknown'),
          pages, requested_by)
  returning * into v_x;
  v_id := v_x.id;
  v_normal_pages := array(select app.contract_normalise_text(p) from unnest(pages) as p);

  -- One row per known field; what the model said about unknown keys is ignored.
  for v_key in select unnest(app.contract_field_keys()) loop
    select f.value into v_field from jsonb_array_elements(record_contract_extraction.fields) as f(value) where f.value ->> 'key' = v_key limit 1;
    v_value := null; v_quote := null; v_page := null; v_confidence := 0;
    if v_field is not null and jsonb_typeof(v_field -> 'value') is distinct from 'null' and v_field ? 'value' then
      begin
        v_value := app.contract_field_value(v_key, v_field -> 'value');
      exception when sqlstate '22023' then
        v_value := null; -- a malformed proposal is no proposal
      end;
      v_quote := app.contract_normalise_text(v_field ->> 'quote');
      v_page := case when (v_field ->> 'page') ~ '^\d{1,3}$' then (v_field ->> 'page')::integer end;
      v_confidence := least(greatest(coalesce(case when (v_field ->> 'confidence') ~ '^\d*\.?\d+$' then (v_field ->> 'confidence')::numeric end, 0), 0), 1);
      if v_value is not null then
        -- The citation rule: the quote is in the text of its page, or of another page.
        if v_quote = '' then
          v_found := null;
        elsif v_page between 1 and cardinality(v_normal_pages) and strpos(v_normal_pages[v_page], v_quote) > 0 then
          v_found := v_page;
        else
          select i into v_found from generate_subscripts(v_normal_pages, 1) i
           where strpos(v_normal_pages[i], v_quote) > 0 order by i limit 1;
        end if;
        if v_found is null then
          insert into app.contract_extraction_fields (org_id, extraction_id, field_key, confidence, quote_discarded)
          values (v_customer.org_id, v_id, v_key, 0, true);
          continue;
        end if;
        v_page := v_found;
      end if;
    end if;
    insert into app.contract_extraction_fields (org_id, extraction_id, field_key, proposed_value, quote, page, confidence)
    values (v_customer.org_id, v_id, v_key, v_value,
            case when v_value is not null then v_quote end,
            case when v_value is not null then v_page end,
            case when v_value is not null then round(v_confidence, 3) else 0 end);
  end loop;

  -- The document's text joins the customer's searchable history.
  perform app.index_customer_history(v_customer.org_id, v_customer.id, 'contract', v_id, now(),
                                     'Contract document ' || v_x.document_name, array_to_string(pages, E'\n\n'));

  return jsonb_build_object('extraction_id', v_id) || app.contract_extraction_json(v_x, false);
end;
$$;
comment on function public.record_contract_extraction(uuid, uuid, text, text, text[], jsonb) is
  'Service role only: stores an extraction of a contract document the requesting person may read (extract-contract calls it after downloading the document as that person); quotes not found verbatim in the text are discarded.';
revoke execute on function public.record_contract_extraction(uuid, uuid, text, text, text[], jsonb) from public, anon, authenticated;
grant execute on function public.record_contract_extraction(uuid, uuid, text, text, text[], jsonb) to service_role;

---------------------------------------------------------------------------------------
-- Confirming
---------------------------------------------------------------------------------------

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
comment on function app.apply_confirmed_contract_fields(uuid, jsonb) is 'Writes confirmed extraction values to the customer''s contract in force and renewal date.';
-- Only app.decide_contract_fields (definer, owned by the same role) calls it.
revoke execute on function app.apply_confirmed_contract_fields(uuid, jsonb) from public, anon, authenticated;

-- The decisions on an extraction's fields, recorded and applied, as the signed-in person.
-- Definer: the fields table has no write policy (nobody edits a proposal or its quote).
-- confirm_contract_fields checks first; the guard here repeats the organisation and role
-- check so the function is safe whoever calls it.
create or replace function app.decide_contract_fields(extraction_id uuid, fields jsonb)
returns jsonb
language plpgsql
volatile
security definer -- records decisions on proposals no person may write directly
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
comment on function app.decide_contract_fields(uuid, jsonb) is 'Records confirm/correct/reject decisions on extracted fields and applies the confirmed values.';
revoke execute on function app.decide_contract_fields(uuid, jsonb) from public, anon;
grant execute on function app.decide_contract_fields(uuid, jsonb) to authenticated;

-- fields: [{"key": "notice_period_days", "value": 60}, {"key": "auto_renew", "reject": true}, ...]
-- A value equal to the proposal confirms it, another value corrects it; `reject` leaves the
-- contract as it is for that field. Fields not named stay as they are.
create or replace function public.confirm_contract_fields(extraction_id uuid, fields jsonb)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_x app.contract_extractions;
  v_result jsonb;
begin
  -- Visibility first (RLS): another organisation's extraction is not found.
  select * into v_x from app.contract_extractions x where x.id = confirm_contract_fields.extraction_id;
  if not found then
    raise exception 'Contract extraction not found' using errcode = 'PT404',
      hint = 'Check the id; you only see extractions of your own organisation.';
  end if;
  if not (select app.has_role('csm', 'manager', 'admin')) then
    raise exception 'Only a csm, manager or admin can confirm contract terms' using errcode = '42501',
      hint = 'Ask a colleague with one of those roles.';
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
comment on function public.confirm_contract_fields(uuid, jsonb) is
  'Confirms, corrects or rejects extracted contract fields one by one; confirmed values update the contract (and so the decision date, stage, priority and lane).';
revoke execute on function public.confirm_contract_fields(uuid, jsonb) from public, anon;
grant execute on function public.confirm_contract_fields(uuid, jsonb) to authenticated;
