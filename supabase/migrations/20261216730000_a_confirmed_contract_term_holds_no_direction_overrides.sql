-- A contract term a person confirms or corrects (confirm_contract_fields: a contract
-- extraction field's confirmed_value) holds no control character and no text-direction
-- override, by the rule every JSON a caller writes is held to since 20261216700000
-- (docs/business-rules.md "Displayable text").
--
-- What and why: a corrected payment term 'Net<U+202E> 45' was refused only when it reached the
-- contract's terms, naming `terms.payment_terms`, a field the caller never wrote; a plain
-- update (or a path that keeps the decision without applying it) stored it in the
-- extraction's history, read back on the contract page and by get_customer_context. Now a
-- check constraint on the column names the field by its key (`payment_terms must not
-- contain…`), before anything is applied. Rows stored before are mended first.
-- Left alone: proposed_value, what the model read from the document (kept as read, and
-- refused here only if a person confirms it unchanged).

update app.contract_extraction_fields
   set confirmed_value = app.displayable_json(confirmed_value, field_key)
 where app.json_may_hold_undisplayable(confirmed_value)
   and app.displayable_json(confirmed_value, field_key) <> confirmed_value;

alter table app.contract_extraction_fields
  add constraint contract_extraction_fields_confirmed_value_is_displayable
  check (app.require_displayable_json(confirmed_value, field_key));
