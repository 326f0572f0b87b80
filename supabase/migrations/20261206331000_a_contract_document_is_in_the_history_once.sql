-- A contract document is in a customer's searchable history once, as it was last read.
--
-- What and why: the extract-contract function stores each reading of a document
-- (record_contract_extraction) and its text joins the customer's history (source kind
-- `contract`, docs/contracts.md). The same document read twice (two tabs, or Read terms
-- pressed again) or replaced under its name (an upload with upsert) left every reading's
-- text in the history: search_customer_history, and so the assistant's `rag` answers,
-- returned the same contract two or three times, crowding out the other passages and citing
-- one sentence as several sources (or a replaced version as if it were still in force).
-- Now a new reading takes the place of the earlier ones of the same document in the
-- history; the extractions themselves stay, each with its fields and decisions.
-- record_contract_extraction restated whole from 20261204000300; the delete is the only
-- change. supabase/tests/contract_extractions/a_document_is_in_the_history_once.test.sql.

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

  -- The document's text joins the customer's searchable history, once: an earlier reading
  -- of the same document (read twice, or replaced under its name) leaves it.
  delete from app.customer_history_passages h
   using app.contract_extractions earlier
   where earlier.org_id = v_x.org_id and earlier.customer_id = v_x.customer_id
     and earlier.object_path = v_x.object_path and earlier.id <> v_x.id
     and h.org_id = earlier.org_id and h.source_kind = 'contract' and h.source_id = earlier.id;
  perform app.index_customer_history(v_customer.org_id, v_customer.id, 'contract', v_x.id, now(),
                                     'Contract document ' || v_x.document_name, array_to_string(pages, E'\n\n'));
  return jsonb_build_object('extraction_id', v_x.id) || app.contract_extraction_json(v_x, false);
end;
$$;
