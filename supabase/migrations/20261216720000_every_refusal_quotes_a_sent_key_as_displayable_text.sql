-- The refusals 20261216710000 left out quote what was sent through app.quoted too: they
-- repeated it whole, with no cut and no mending (docs/api-contract.md "Errors").
--
-- What and why: a sender's external id ('event 0: no customer with external id "ghost<U+202E>id"'
-- and a new record's, ingest_customer_ids and ingest_check_new_records), a webhook-id sent
-- twice (ingest_claim_webhook), a contract's terms key (ingest_check_contract_terms), a drafted
-- content's blank key (check_drafted_text), an artifact change's unknown key (update_artifact)
-- and a contract field's unknown key (decide_contract_fields, contract_field_value) were
-- quoted as sent, a text-direction override and 1 MB included. Now through app.quoted: at most
-- 60 characters on one displayable line.
--
-- Restated from their newest definitions (pg_get_functiondef of the migrated schema); the only
-- change in each is app.quoted around the quoted key or value.
-- supabase/tests/constraints/a_refusal_quotes_what_was_sent_as_displayable_text.test.sql.

CREATE OR REPLACE FUNCTION app.check_drafted_text(artifact_type text, content jsonb)
 RETURNS void
 LANGUAGE plpgsql
 IMMUTABLE
 SET search_path TO ''
AS $function$
declare
  v_key text;
begin
  if check_drafted_text.content is null or jsonb_typeof(check_drafted_text.content) <> 'object' then
    return;  -- the artifact's own checks name a missing or malformed content
  end if;
  if check_drafted_text.artifact_type = 'email_draft'
     and (jsonb_typeof(check_drafted_text.content -> 'body') is distinct from 'string'
          or app.trimmed(check_drafted_text.content ->> 'body') is null) then
    raise exception 'content.body must not be blank: the drafted email says nothing' using errcode = '22023',
      hint = 'Write the message in body; whitespace or invisible characters alone are blank.';
  end if;
  select e.k into v_key
    from jsonb_each(check_drafted_text.content) e(k, v)
   where jsonb_typeof(e.v) = 'string' and app.trimmed(e.v #>> '{}') is null
   order by e.k
   limit 1;
  if v_key is not null then
    raise exception 'content.% must not be blank', app.quoted(v_key) using errcode = '22023',
      hint = 'Write the text, or leave the field out; whitespace or invisible characters alone are blank.';
  end if;
end;
$function$
;

CREATE OR REPLACE FUNCTION app.contract_field_value(field_key text, value jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 IMMUTABLE
 SET search_path TO ''
AS $function$
declare
  v_type text := app.contract_field_json_type(field_key);
  v_text text := value #>> '{}';
  v_number numeric;
  v_date date;
begin
  if value is null or jsonb_typeof(value) = 'null' then
    return null;
  end if;
  if not (field_key = any (app.contract_field_keys())) then
    raise exception 'Unknown contract field %', app.quoted(field_key) using errcode = '22023',
      hint = 'Fields: ' || array_to_string(app.contract_field_keys(), ', ') || '.';
  end if;
  -- A number written as text ("60") is text: the field says what it takes.
  if jsonb_typeof(value) <> v_type then
    raise exception 'The value of % must be a %', field_key,
      case v_type when 'number' then 'number, not text or another kind of value'
                  when 'boolean' then 'boolean (true or false)' else 'string' end
      using errcode = '22023',
      hint = case v_type when 'number' then 'Send it as a JSON number, e.g. 60, not "60".'
                         when 'boolean' then 'Send true or false.'
                         when 'string' then case when field_key in ('start_date', 'end_date') then 'Send a date as text, e.g. "2027-03-29".'
                                                 else 'Send it as text, e.g. "Net 30" or "USD".' end end;
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
      perform app.require_business_date(v_date, field_key);
      return to_jsonb(v_text);
    when 'auto_renew', 'termination_for_convenience' then
      return value;
    when 'notice_period_days', 'term_months' then
      if not app.is_whole_number(value) or v_text::numeric < (case field_key when 'term_months' then 1 else 0 end)
         or v_text::numeric > (case field_key when 'notice_period_days' then 3650 else 600 end) then
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
    else -- payment_terms
      if app.trimmed(v_text) is null or length(v_text) > 200 then
        raise exception 'Payment terms must be 1 to 200 characters' using errcode = '22023', hint = 'For example "Net 30".';
      end if;
      return to_jsonb(app.trimmed(v_text));
  end case;
end;
$function$
;

CREATE OR REPLACE FUNCTION app.decide_contract_fields(extraction_id uuid, fields jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
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
      raise exception 'Unknown contract field %', app.quoted(coalesce(v_key, '(none)')) using errcode = '22023',
        hint = 'Fields: ' || array_to_string(app.contract_field_keys(), ', ') || '.';
    end if;
    if v_key = any (v_seen) then
      raise exception 'The field % is named twice', v_key using errcode = '22023', hint = 'Name each field once.';
    end if;
    v_seen := v_seen || v_key;
    -- A decision is {key, value} or {key, reject: true}: anything else is a mistake to name,
    -- never a part of it silently dropped.
    if exists (select 1 from jsonb_object_keys(v_item) k where k not in ('key', 'value', 'reject')) then
      raise exception 'The decision on % has unknown keys: %', v_key,
        (select string_agg(app.quoted(k), ', ' order by k) from jsonb_object_keys(v_item) k where k not in ('key', 'value', 'reject'))
        using errcode = '22023', hint = 'Send {"key": "...", "value": ...} or {"key": "...", "reject": true}.';
    end if;
    if v_item ? 'reject' and jsonb_typeof(v_item -> 'reject') <> 'boolean' then
      raise exception 'reject of % must be true or false', v_key using errcode = '22023',
        hint = 'Send "reject": true to reject the field, or leave reject out.';
    end if;
    if v_item -> 'reject' = 'true'::jsonb and v_item ? 'value' then
      raise exception 'The field % has a value and "reject": true; send one of them', v_key using errcode = '22023',
        hint = 'A value confirms or corrects the field; "reject": true rejects it.';
    end if;

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
$function$
;

CREATE OR REPLACE FUNCTION app.ingest_check_contract_terms(events jsonb)
 RETURNS void
 LANGUAGE plpgsql
 IMMUTABLE
 SET search_path TO ''
AS $function$
declare
  v_term record;
  v_message text;
  v_hint text;
begin
  for v_term in
    select t.pos, kv.key, kv.value
      from jsonb_array_elements(events) with ordinality as t(ev, pos)
      cross join lateral jsonb_each(case when jsonb_typeof(t.ev -> 'data' -> 'terms') = 'object'
                                         then t.ev -> 'data' -> 'terms' else '{}'::jsonb end) as kv(key, value)
     where t.ev ->> 'type' = 'contract.upserted'
       and kv.key = any (app.contract_field_keys())
     order by t.pos, kv.key
  loop
    begin
      perform app.contract_field_value(v_term.key, v_term.value);
    exception when sqlstate '22023' then
      get stacked diagnostics v_message = message_text, v_hint = pg_exception_hint;
      raise exception 'event %: data.terms.% is refused: %', v_term.pos - 1, app.quoted(v_term.key), v_message
        using errcode = '22023', hint = nullif(v_hint, '');
    end;
  end loop;
end;
$function$
;

CREATE OR REPLACE FUNCTION app.ingest_check_new_records(events jsonb, event_type text, required_key text, existing text[])
 RETURNS void
 LANGUAGE plpgsql
 STABLE
 SET search_path TO ''
AS $function$
#variable_conflict use_variable
declare
  v_bad record;
  v_noun constant text := split_part(event_type, '.', 1);
begin
  select i.pos, i.external_id into v_bad
    from app.ingest_upserts_without(events, event_type, required_key) i
   where not coalesce(i.external_id = any(coalesce(existing, '{}')), event_type = 'customer.upserted')
   order by i.pos
   limit 1;
  if found then
    raise exception 'event %: % "%" does not exist yet and has no %', v_bad.pos - 1, v_noun, app.quoted(v_bad.external_id), required_key
      using errcode = '22023',
            hint = format('The first %s of a %s must carry %s.', event_type, v_noun,
                          case required_key when 'name' then case v_noun when 'customer' then 'its name' else 'their name' end
                               else 'its ' || required_key end);
  end if;
end;
$function$
;

CREATE OR REPLACE FUNCTION app.ingest_claim_webhook(org_id uuid, webhook_id text, events jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
#variable_conflict use_variable
declare
  v_hash constant text := app.ingest_body_hash(events);
  p app.processed_webhooks;
begin
  insert into app.processed_webhooks (org_id, webhook_id, event_count, body_hash)
  values (org_id, webhook_id, jsonb_array_length(events), v_hash)
  on conflict do nothing;
  if found then
    return null;
  end if;
  select * into p from app.processed_webhooks x where x.org_id = org_id and x.webhook_id = webhook_id;
  if p.body_hash is not null and p.body_hash <> v_hash then
    raise exception 'webhook-id % was already used for a different body', app.quoted(webhook_id) using errcode = 'PT409',
      hint = 'Send each new delivery with a new webhook-id; reuse one only to retry the same body.';
  end if;
  return p.result || jsonb_build_object('replayed', true);
end;
$function$
;

CREATE OR REPLACE FUNCTION app.ingest_customer_ids(org_id uuid, events jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 STABLE
 SET search_path TO ''
AS $function$
#variable_conflict use_variable
declare
  v_ids jsonb;
  v_bad record;
begin
  select coalesce(jsonb_object_agg(c.external_id, c.id), '{}'::jsonb)
    into v_ids
    from app.customers c
   where c.org_id = org_id
     and c.external_id = any(array(select distinct t.ev -> 'data' ->> 'customer_external_id'
                                     from jsonb_array_elements(events) as t(ev)
                                    where t.ev ->> 'type' <> 'customer.upserted'));

  select t.pos, t.ev -> 'data' ->> 'customer_external_id' as external_id into v_bad
    from jsonb_array_elements(events) with ordinality as t(ev, pos)
   where t.ev ->> 'type' <> 'customer.upserted'
     and not v_ids ? coalesce(t.ev -> 'data' ->> 'customer_external_id', '')
   order by t.pos
   limit 1;
  if found then
    raise exception 'event %: no customer with external id "%"', v_bad.pos - 1, app.quoted(coalesce(v_bad.external_id, ''))
      using errcode = '22023', hint = 'Send a customer.upserted for it first (earlier in the same batch is fine).';
  end if;
  return v_ids;
end;
$function$
;

CREATE OR REPLACE FUNCTION public.update_artifact(artifact_id uuid, changes jsonb, base_version integer)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  artifact app.workflow_task_artifacts;
  unknown_key text;
  new_title text;
  new_content jsonb;
  new_metadata jsonb;
  content_changed boolean;
  withdrawn boolean := false;
begin
  if update_artifact.changes is null or jsonb_typeof(update_artifact.changes) <> 'object' or update_artifact.changes = '{}'::jsonb then
    raise exception 'changes must be a JSON object with title, content or metadata' using errcode = '22023',
      hint = 'Pass only the fields you change, e.g. {"content": {...}}.';
  end if;
  select k into unknown_key from jsonb_object_keys(update_artifact.changes) k
   where k not in ('title', 'content', 'metadata') limit 1;
  if unknown_key is not null then
    raise exception 'changes.% cannot be changed', app.quoted(unknown_key) using errcode = '22023',
      hint = 'An update may change title, content and metadata.';
  end if;
  if update_artifact.changes ? 'title' and (jsonb_typeof(update_artifact.changes -> 'title') <> 'string'
     or app.trimmed(update_artifact.changes ->> 'title') is null) then
    raise exception 'changes.title must be non-empty text' using errcode = '22023', hint = 'Give the artifact a title.';
  end if;
  if update_artifact.changes ? 'content' and jsonb_typeof(update_artifact.changes -> 'content') = 'null' then
    raise exception 'changes.content must not be null' using errcode = '22023', hint = 'Pass the new content as JSON.';
  end if;
  if update_artifact.changes ? 'metadata' and jsonb_typeof(update_artifact.changes -> 'metadata') <> 'object' then
    raise exception 'changes.metadata must be a JSON object' using errcode = '22023', hint = 'Pass the metadata keys to set.';
  end if;
  perform app.refuse_reserved_artifact_metadata(update_artifact.changes -> 'metadata', 'changes.metadata');
  if update_artifact.base_version is null then
    raise exception 'base_version is required' using errcode = '22023',
      hint = 'Pass the version you edited, as returned by get_artifact.';
  end if;

  artifact := app.artifact_for_write(update_artifact.artifact_id);

  if artifact.version <> update_artifact.base_version then
    raise exception 'This artifact was changed by someone else: it is at version %, your edit is based on version %',
      artifact.version, update_artifact.base_version
      using errcode = 'PT409', hint = 'Reload the artifact, apply your change to the current version and save again.';
  end if;

  new_title := coalesce(update_artifact.changes ->> 'title', artifact.title);
  new_content := coalesce(update_artifact.changes -> 'content', artifact.content);
  new_metadata := artifact.metadata || coalesce(update_artifact.changes -> 'metadata', '{}'::jsonb);
  content_changed := new_content is distinct from artifact.content or new_title is distinct from artifact.title;
  withdrawn := content_changed and artifact.approved_by is not null;

  if withdrawn then
    new_metadata := jsonb_set(new_metadata, '{approval_log}',
      app.appended_to_log(new_metadata -> 'approval_log', jsonb_build_object(
        'approved', false, 'by', (select auth.uid()), 'at', now(), 'reason', 'content changed')));
  end if;

  update app.workflow_task_artifacts a
     set title = new_title,
         content = new_content,
         metadata = new_metadata,
         version = a.version + 1,
         approved_by = case when withdrawn then null else a.approved_by end,
         approved_at = case when withdrawn then null else a.approved_at end
   where a.id = artifact.id
  returning * into artifact;

  insert into app.workflow_task_artifact_versions (org_id, artifact_id, version, title, content, metadata, edited_by)
  values (artifact.org_id, artifact.id, artifact.version, artifact.title, artifact.content, artifact.metadata, (select auth.uid()));

  return app.artifact_json(artifact) || jsonb_build_object('approval_withdrawn', withdrawn);
end;
$function$
;
