-- A contract document read twice at once is in the customer's searchable history once, as
-- last read (docs/contracts.md; tests/integration/contract-reading-races.test.ts).
--
-- record_contract_extraction removes the passages of the document's earlier readings before
-- indexing its own (migration 20261206331000), but a reading not yet committed is not seen:
-- two readings at once (a reading by Ollama takes up to two minutes; Extract pressed again,
-- or a client retrying after a timeout) each kept their own, and the contract was in history
-- search and the assistant's answers twice.
--
-- Fix: a reading takes a lock on its document (organisation and path) before it writes
-- anything, so the second waits for the first to commit, then replaces it. Nothing else is
-- locked before it, and it is held only by readings of that document.

create or replace function app.lock_contract_document(org_id uuid, object_path text)
returns void
language plpgsql
set search_path = ''
as $$
begin
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended(
    'renubu.contract_document:' || lock_contract_document.org_id::text || ':' || lock_contract_document.object_path, 0));
end;
$$;
comment on function app.lock_contract_document(uuid, text) is
  'Readings of one contract document take turns (record_contract_extraction), so the last one read replaces the others in the history.';
revoke execute on function app.lock_contract_document(uuid, text) from public, anon, authenticated;
grant execute on function app.lock_contract_document(uuid, text) to service_role;

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
  -- A reading of the same document in flight (a second Extract, a retry after a timeout) is
  -- waited for, so that this one sees it and takes its place in the history below.
  perform app.lock_contract_document(v_customer.org_id, object_path);

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
