-- Who may extract a customer's contract is asked before the model reads it
-- (docs/contracts.md "Who may do what").
--
-- What and why: extract-contract read the document, ran the model over every page, and only
-- then called record_contract_extraction, the first place that asked whether the person may
-- extract (a CSM, manager or admin of the customer's organisation). A viewer, who may read the
-- document, was refused 403 after a full model run: each such request cost a model call for
-- nothing, a lever on the model's bill for anyone with a viewer's sign-in. Now the function
-- asks first, with the caller's own token:
--
--   check_contract_extraction(customer_id)   any member: {ok: true} when the caller may extract
--                                            this customer's contract; PT404 for a customer they
--                                            cannot see, 42501 for a role that may not extract
--
-- The rule is written once, app.require_contract_extractor, read by it and by
-- app.check_contract_extraction_request (record_contract_extraction's check, which stays: the
-- service role's write asks again). check_contract_extraction_request is restated whole from
-- the baseline (20261204000300); the role check moving into the helper is the only change.
-- tests/integration/extract-contract-asks-before-the-model.test.ts.

-- The rule: a CSM, manager or admin of the organisation may extract its contracts.
create function app.require_contract_extractor(person_id uuid, org_id uuid)
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if not exists (select 1 from app.profiles p
                  where p.id = require_contract_extractor.person_id and p.org_id = require_contract_extractor.org_id
                    and p.role in ('csm', 'manager', 'admin')) then
    raise exception 'Only a csm, manager or admin of the customer''s organisation can extract a contract' using errcode = '42501',
      hint = 'Ask a colleague with one of those roles.';
  end if;
end;
$$;
revoke execute on function app.require_contract_extractor(uuid, uuid) from public, anon;
grant execute on function app.require_contract_extractor(uuid, uuid) to authenticated, service_role;
comment on function app.require_contract_extractor(uuid, uuid) is
  'Refuses (42501) a person who may not extract the organisation''s contracts: only its csms, managers and admins may.';

create or replace function app.check_contract_extraction_request(
  requested_by uuid, customer app.customers, object_path text, pages text[], fields jsonb)
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  perform app.require_contract_extractor(check_contract_extraction_request.requested_by, customer.org_id);
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

create function public.check_contract_extraction(customer_id uuid)
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
  perform app.require_contract_extractor((select auth.uid()), v_org);
  return jsonb_build_object('ok', true);
end;
$$;
revoke execute on function public.check_contract_extraction(uuid) from public, anon;
grant execute on function public.check_contract_extraction(uuid) to authenticated;
comment on function public.check_contract_extraction(uuid) is
  'Whether the caller may extract this customer''s contract ({ok: true}; PT404 for a customer they cannot see, 42501 for a role that may not): extract-contract asks before it reads the document or calls the model.';
