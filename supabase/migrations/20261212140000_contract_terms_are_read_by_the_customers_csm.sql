-- Reading a customer's contract terms (extract-contract) follows the rule of changing them:
-- the customer's CSM (any CSM while it has none), a manager or an admin (docs/contracts.md
-- "Who may change the documents").
--
-- What and why: since 20261212100000 another CSM may not change a customer's contract
-- documents, and since 20261208700000 not confirm its terms, yet check_contract_extraction
-- and record_contract_extraction let any CSM of the organisation run the model over the
-- customer's contract (a model run on another CSM's account) and file what it read: a new
-- extraction, and the document's text in the customer's history (its search index), for the
-- customer's CSM to find. Now another CSM is 42501 "Only the customer's CSM, a manager or an
-- admin can read its contract's terms", before the model runs (extract-contract asks first)
-- and again when the service role records; a viewer keeps its own words.
--
-- - app.person_works_on_customer(person_id, customer_id): the rule of
--   app.can_work_on_customer for a given person, written once; can_work_on_customer (the
--   signed-in person, read by the confirmation and the Storage policies) now asks it.
-- - app.require_contract_extractor takes the customer instead of its organisation (dropped
--   and created: its second uuid meant the organisation); app.check_contract_extraction_request
--   and public.check_contract_extraction restated whole from 20261210201000, passing the
--   customer as the one change.
-- tests/hardening/contract-documents-follow-the-customers-csm.test.ts.

create function app.person_works_on_customer(person_id uuid, customer_id uuid)
returns boolean
language plpgsql
stable
security definer -- reads the customer and the person without re-entering their RLS
set search_path = ''
as $$
begin
  return (
    select exists (
      select 1
      from app.customers c
      join app.profiles p on p.id = person_works_on_customer.person_id and p.org_id = c.org_id and p.deactivated_at is null
      where c.id = person_works_on_customer.customer_id
        and (
          p.role in ('manager', 'admin')
          or (p.role = 'csm' and (c.assigned_to is null or c.assigned_to = p.id))
        )
    )
  );
end;
$$;
comment on function app.person_works_on_customer(uuid, uuid) is
  'True when the person may change this customer''s own records (its contract documents and terms): its CSM (any CSM while it has none), a manager or an admin of its organisation, active.';
revoke execute on function app.person_works_on_customer(uuid, uuid) from public, anon;
grant execute on function app.person_works_on_customer(uuid, uuid) to authenticated, service_role;

create or replace function app.can_work_on_customer(customer_id uuid)
returns boolean
language plpgsql
stable
security definer -- reads the customer and the caller's profile without re-entering their RLS
set search_path = ''
as $$
begin
  return app.person_works_on_customer((select auth.uid()), can_work_on_customer.customer_id);
end;
$$;

drop function app.require_contract_extractor(uuid, uuid);
create function app.require_contract_extractor(person_id uuid, customer_id uuid)
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if not exists (select 1 from app.profiles p join app.customers c on c.org_id = p.org_id
                  where p.id = require_contract_extractor.person_id and c.id = require_contract_extractor.customer_id
                    and p.role in ('csm', 'manager', 'admin')) then
    raise exception 'Only a csm, manager or admin of the customer''s organisation can extract a contract' using errcode = '42501',
      hint = 'Ask a colleague with one of those roles.';
  end if;
  if not app.person_works_on_customer(require_contract_extractor.person_id, require_contract_extractor.customer_id) then
    raise exception 'Only the customer''s CSM, a manager or an admin can read its contract''s terms' using errcode = '42501',
      hint = 'Ask the customer''s CSM or a manager to read them.';
  end if;
end;
$$;
revoke execute on function app.require_contract_extractor(uuid, uuid) from public, anon;
grant execute on function app.require_contract_extractor(uuid, uuid) to authenticated, service_role;
comment on function app.require_contract_extractor(uuid, uuid) is
  'Refuses (42501) a person who may not read this customer''s contract terms: only its CSM (any CSM while it has none), a manager or an admin may.';

create or replace function app.check_contract_extraction_request(
  requested_by uuid, customer app.customers, object_path text, pages text[], fields jsonb)
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  perform app.require_contract_extractor(check_contract_extraction_request.requested_by, customer.id);
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

create or replace function public.check_contract_extraction(customer_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid;
begin
  perform app.require_given(check_contract_extraction.customer_id is not null, 'customer_id',
    'Pass the id of the customer whose contract to read.');
  -- Row-level security: another organisation's customer, or none, is not found.
  select c.org_id into v_org from app.customers c where c.id = check_contract_extraction.customer_id;
  if v_org is null then
    raise exception 'Customer not found' using errcode = 'PT404', hint = 'Check the customer id.';
  end if;
  perform app.require_contract_extractor((select auth.uid()), check_contract_extraction.customer_id);
  return jsonb_build_object('ok', true);
end;
$$;
comment on function public.check_contract_extraction(uuid) is
  'Whether the caller may read this customer''s contract terms ({ok: true}; PT404 for a customer they cannot see, 42501 for a role that may not, or another CSM''s customer): extract-contract asks before it reads the document or calls the model.';
