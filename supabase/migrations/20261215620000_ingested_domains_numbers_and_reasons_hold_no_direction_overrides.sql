-- A customer's domain, a contract's number and the reason of an ARR change hold no control
-- character and no text-direction override (docs/business-rules.md "Displayable text").
--
-- What and why: 20261214300000 made every name and title displayable, checked on the column
-- whoever writes it; the ingest's own schema checks the same (functions-shared/api/ingest.ts).
-- Three texts a sender's system writes and people read were left out, stored as sent:
-- - customers.domain, shown under the customer's name on the customers list, the queue, the
--   context panel and New task's customer search, and read by a draft's recipient check: a
--   domain 'evil<U+202E>moc.example' read 'evilelpmaxe.com';
-- - contracts.contract_number, a contract's title on the customer page ('MSA-7<U+202E>fdp.exe'
--   read 'MSA-7exe.pdf');
-- - arr_history.reason, an ARR change's reason (arr.changed): kept with the ARR history, which
--   no screen reads yet; held to the rule of every other reason so that none that does reads
--   it reversed.
-- The domain and the number are one line; a reason may hold line breaks and tabs, as every
-- other reason does. Each is a check constraint asking app.require_displayable_text, so every
-- path (the ingest, a confirmed contract extraction, a seed, a plain UPDATE) is refused alike:
-- 22023 naming the field, nothing of the statement written. Rows written before are mended
-- first as 20261214300000 mended its columns (a tab or line break in a one-line text becomes a
-- space, every other refused character is removed), so the migration applies to an installed
-- database. The ingest's schema refuses the same with 422 before the database is asked
-- (optionalLine, optionalBody).
-- supabase/tests/constraints/ingested_domains_numbers_and_reasons_hold_no_direction_overrides.test.sql.

update app.customers c
   set domain = pg_catalog.regexp_replace(pg_catalog.regexp_replace(c.domain, '[\t\n\r\u2028\u2029]', ' ', 'g'),
                                          app.undisplayable_characters(false), '', 'g')
 where not app.text_is_displayable(c.domain, false);
alter table app.customers add constraint customers_domain_is_displayable
  check (app.require_displayable_text(domain, 'domain', false));

update app.contracts k
   set contract_number = pg_catalog.regexp_replace(pg_catalog.regexp_replace(k.contract_number, '[\t\n\r\u2028\u2029]', ' ', 'g'),
                                                   app.undisplayable_characters(false), '', 'g')
 where not app.text_is_displayable(k.contract_number, false);
alter table app.contracts add constraint contracts_contract_number_is_displayable
  check (app.require_displayable_text(contract_number, 'contract_number', false));

update app.arr_history h
   set reason = pg_catalog.regexp_replace(h.reason, app.undisplayable_characters(true), '', 'g')
 where not app.text_is_displayable(h.reason, true);
alter table app.arr_history add constraint arr_history_reason_is_displayable
  check (app.require_displayable_text(reason, 'reason', true));
