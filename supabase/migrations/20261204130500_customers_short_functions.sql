-- Customers and contracts: long functions of 20261204000300_customers_and_contracts.sql
-- made short (issue 17, point 3).
--
-- What: record_contract_extraction becomes a guard over small functions with one job each
-- (who may extract which document, the citation rule, one field's row). Why: a reader can
-- hold each piece in their head. The answers and the errors (codes, messages, hints) are
-- unchanged; so are the signature, security, volatility, grants and comment of the
-- function. The helpers live in `app`, set search_path = '', and are executable only by
-- the service role (the only caller).

-- The request is one the person may make: a csm, manager or admin of the customer's
-- organisation, a document stored under the customer's folder of `contracts`, a text and
-- a list of fields.
create or replace function app.check_contract_extraction_request(
  requested_by uuid, customer app.customers, object_path text, pages text[], fields jsonb)
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if not exists (select 1 from app.profiles p
                  where p.id = check_contract_extraction_request.requested_by and p.org_id = customer.org_id
                    and p.role in ('csm', 'manager', 'admin')) then
    raise exception 'Only a csm, manager or admin of the customer''s organisation can extract a contract' using errcode = '42501',
      hint = 'Ask a colleague with one of those roles.';
  end if;
  if object_path is null
     or split_part(object_path, '/', 1) <> customer.org_id::text
     or split_part(object_path, '/', 2) <> customer.id::text
     or not exists (select 1 from storage.objects o
                     where o.bucket_id = 'contracts' and o.name = check_contract_extraction_request.object_path) then
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
end;
$$;
revoke execute on function app.check_contract_extraction_request(uuid, app.customers, text, text[], jsonb)
  from public, anon, authenticated;
grant execute on function app.check_contract_extraction_request(uuid, app.customers, text, text[], jsonb) to service_role;

-- The citation rule: the page whose (normalised) text holds the quote — the page the model
-- named, else the first that does; null when none does or the quote is empty.
create or replace function app.contract_quote_page(normal_pages text[], quote text, page integer)
returns integer
language sql
immutable
set search_path = ''
as $$
  select case
    when quote = '' then null
    when page between 1 and cardinality(normal_pages) and strpos(normal_pages[page], quote) > 0 then page
    else (select i from generate_subscripts(normal_pages, 1) i where strpos(normal_pages[i], quote) > 0 order by i limit 1)
  end
$$;
revoke execute on function app.contract_quote_page(text[], text, integer) from public, anon, authenticated;
grant execute on function app.contract_quote_page(text[], text, integer) to service_role;

-- One field's row of an extraction from what the model proposed (`field`, null when it
-- said nothing): a malformed value is no proposal; a value whose quote is not in the text
-- is discarded (quote_discarded).
create or replace function app.record_contract_extraction_field(
  x app.contract_extractions, field_key text, field jsonb, normal_pages text[])
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_value jsonb;
  v_quote text;
  v_page integer;
  v_confidence numeric := 0;
begin
  if field is not null and jsonb_typeof(field -> 'value') is distinct from 'null' and field ? 'value' then
    begin
      v_value := app.contract_field_value(field_key, field -> 'value');
    exception when sqlstate '22023' then
      v_value := null; -- a malformed proposal is no proposal
    end;
    v_quote := app.contract_normalise_text(field ->> 'quote');
    v_page := case when (field ->> 'page') ~ '^\d{1,3}$' then (field ->> 'page')::integer end;
    v_confidence := least(greatest(coalesce(case when (field ->> 'confidence') ~ '^\d*\.?\d+$' then (field ->> 'confidence')::numeric end, 0), 0), 1);
    if v_value is not null then
      v_page := app.contract_quote_page(normal_pages, v_quote, v_page);
      if v_page is null then
        insert into app.contract_extraction_fields (org_id, extraction_id, field_key, confidence, quote_discarded)
        values (x.org_id, x.id, record_contract_extraction_field.field_key, 0, true);
        return;
      end if;
    end if;
  end if;
  insert into app.contract_extraction_fields (org_id, extraction_id, field_key, proposed_value, quote, page, confidence)
  values (x.org_id, x.id, record_contract_extraction_field.field_key, v_value,
          case when v_value is not null then v_quote end,
          case when v_value is not null then v_page end,
          case when v_value is not null then round(v_confidence, 3) else 0 end);
end;
$$;
revoke execute on function app.record_contract_extraction_field(app.contract_extractions, text, jsonb, text[])
  from public, anon, authenticated;
grant execute on function app.record_contract_extraction_field(app.contract_extractions, text, jsonb, text[]) to service_role;

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
  v_key text;
  v_normal_pages text[];
  v_x app.contract_extractions;
begin
  select * into v_customer from app.customers c where c.id = record_contract_extraction.customer_id;
  if not found then
    raise exception 'Customer not found' using errcode = 'PT404', hint = 'Check the customer id.';
  end if;
  perform app.check_contract_extraction_request(requested_by, v_customer, object_path, pages, fields);

  insert into app.contract_extractions (org_id, customer_id, object_path, document_name, model, pages, created_by)
  values (v_customer.org_id, v_customer.id, object_path, split_part(object_path, '/', 3), coalesce(nullif(model, ''), 'unknown'),
          pages, requested_by)
  returning * into v_x;
  v_normal_pages := array(select app.contract_normalise_text(p) from unnest(pages) as p);
  -- One row per known field; what the model said about unknown keys is ignored.
  for v_key in select unnest(app.contract_field_keys()) loop
    perform app.record_contract_extraction_field(v_x, v_key,
      (select f.value from jsonb_array_elements(record_contract_extraction.fields) as f(value) where f.value ->> 'key' = v_key limit 1),
      v_normal_pages);
  end loop;

  -- The document's text joins the customer's searchable history.
  perform app.index_customer_history(v_customer.org_id, v_customer.id, 'contract', v_x.id, now(),
                                     'Contract document ' || v_x.document_name, array_to_string(pages, E'\n\n'));
  return jsonb_build_object('extraction_id', v_x.id) || app.contract_extraction_json(v_x, false);
end;
$$;
comment on function public.record_contract_extraction(uuid, uuid, text, text, text[], jsonb) is
  'Service role only: stores an extraction of a contract document the requesting person may read (extract-contract calls it after downloading the document as that person); quotes not found verbatim in the text are discarded.';
revoke execute on function public.record_contract_extraction(uuid, uuid, text, text, text[], jsonb) from public, anon, authenticated;
grant execute on function public.record_contract_extraction(uuid, uuid, text, text, text[], jsonb) to service_role;
