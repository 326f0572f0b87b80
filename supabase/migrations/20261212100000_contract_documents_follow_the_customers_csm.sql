-- A customer's contract documents are added, replaced and removed by those who may change its
-- contract terms: the customer's CSM (any CSM while the customer has none), a manager or an
-- admin (docs/contracts.md "Who may change the documents").
--
-- What and why: since 20261208700000 another CSM may not confirm a customer's contract terms
-- (app.can_work_on_customer), yet the Storage policies of 20261204001400 let any CSM of the
-- organisation write the customer's folder: Casey could replace Sam's customer's contract
-- with her own text, for Sam (or the next extraction) to read and confirm, add documents to
-- it, or remove it. The three write policies now ask the same rule the confirmation asks; a
-- deactivated person matches none (can_work_on_customer reads only active people). Reading
-- is unchanged: every member of the organisation reads them.
-- tests/hardening/contract-documents-follow-the-customers-csm.test.ts.

drop policy "CSMs, managers and admins can add contract documents" on storage.objects;
drop policy "CSMs, managers and admins can replace contract documents" on storage.objects;
drop policy "CSMs, managers and admins can remove contract documents" on storage.objects;

create policy "The customer's CSM, managers and admins can add contract documents"
  on storage.objects for insert to authenticated
  with check (bucket_id = 'contracts' and app.can_work_on_customer(app.contract_object_customer(name)));

create policy "The customer's CSM, managers and admins can replace contract documents"
  on storage.objects for update to authenticated
  using (bucket_id = 'contracts' and app.can_work_on_customer(app.contract_object_customer(name)))
  with check (bucket_id = 'contracts' and app.can_work_on_customer(app.contract_object_customer(name)));

create policy "The customer's CSM, managers and admins can remove contract documents"
  on storage.objects for delete to authenticated
  using (bucket_id = 'contracts' and app.can_work_on_customer(app.contract_object_customer(name)));
