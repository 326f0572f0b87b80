-- Storage: the private `contracts` bucket and who may read and write its objects.
--
-- Part of the release baseline (docs/schema.md): one file per area, in dependency order.
-- From now on migrations are append-only: a change is a new timestamped file.

-- Contract documents in Supabase Storage (docs/contracts.md "Contract documents"; docs/contracts.md).
--
-- What and why: a private bucket `contracts` holding each organisation's documents under
-- `<org_id>/<customer_id>/<file name>`, with row-level security on storage.objects so that a
-- member reads the documents of the customers they can see, a csm, manager or admin adds,
-- replaces and removes them, and nobody ever reaches another organisation's folder. The
-- same SQL runs on hosted Supabase (storage.buckets and storage.objects are Supabase's own
-- tables; `postgres` may insert a bucket and create policies on them) and on the local
-- stack (local/db/bootstrap.sql creates the storage schema as hosted has it).
--
-- Path rules, checked by one helper so the four policies cannot drift apart:
--   - exactly three segments: org id, customer id, file name;
--   - the first is the caller's organisation, compared as text (a segment that is not a
--     uuid never raises 22P02 and fails the whole statement, it just does not match);
--   - the second is a customer of that organisation the caller can see.
-- Uploads: PDF or plain text, at most 20 MB (the bucket's own limits, enforced by Storage).

-- The customer a contracts-bucket object name belongs to, when the caller may see it: the
-- name is `<caller's org>/<customer of that org>/<file>`. Null otherwise.
create or replace function app.contract_object_customer(object_name text)
returns uuid
language plpgsql
stable
set search_path = ''
as $$
declare
  v_parts text[] := string_to_array(contract_object_customer.object_name, '/');
  v_org uuid := app.current_org_id();
  v_customer uuid;
begin
  if v_org is null or coalesce(array_length(v_parts, 1), 0) <> 3 or v_parts[3] = '' then
    return null;
  end if;
  if v_parts[1] is distinct from v_org::text
     or v_parts[2] !~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    return null;
  end if;
  -- Row-level security on customers applies: a customer the caller cannot see is no match.
  select c.id into v_customer
    from app.customers c
   where c.id = v_parts[2]::uuid and c.org_id = v_org;
  return v_customer;
end;
$$;
comment on function app.contract_object_customer(text) is
  'The customer of a contracts-bucket object name <org>/<customer>/<file> when it is in the caller''s organisation and visible to them, else null.';
revoke execute on function app.contract_object_customer(text) from public, anon;
grant execute on function app.contract_object_customer(text) to authenticated;

create policy "Members can read their organisation's contract documents"
  on storage.objects for select to authenticated
  using (bucket_id = 'contracts' and app.contract_object_customer(name) is not null);

create policy "CSMs, managers and admins can add contract documents"
  on storage.objects for insert to authenticated
  with check (bucket_id = 'contracts' and app.contract_object_customer(name) is not null
              and (select app.has_role('csm', 'manager', 'admin')));

create policy "CSMs, managers and admins can replace contract documents"
  on storage.objects for update to authenticated
  using (bucket_id = 'contracts' and app.contract_object_customer(name) is not null
         and (select app.has_role('csm', 'manager', 'admin')))
  with check (bucket_id = 'contracts' and app.contract_object_customer(name) is not null
              and (select app.has_role('csm', 'manager', 'admin')));

create policy "CSMs, managers and admins can remove contract documents"
  on storage.objects for delete to authenticated
  using (bucket_id = 'contracts' and app.contract_object_customer(name) is not null
         and (select app.has_role('csm', 'manager', 'admin')));

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('contracts', 'contracts', false, 20 * 1024 * 1024,
        array['application/pdf', 'text/plain', 'text/plain;charset=UTF-8'])
on conflict (id) do update
  set public = false,
      file_size_limit = excluded.file_size_limit,
      allowed_mime_types = excluded.allowed_mime_types;
