-- A name, a title or a note holds no control character and no text-direction override
-- (docs/business-rules.md "Displayable text").
--
-- What and why: every name and short title was stored as sent. One holding U+202E (RIGHT-TO-
-- LEFT OVERRIDE) shows its tail reversed, so a customer named 'Acme\u202Egnp.exe' reads
-- 'Acmeexe.png' on every page, and a task, an artifact or an email's subject can hide or
-- reorder what another person reads (the "Trojan Source" trick, CVE-2021-42574). A tab, a
-- line break or another control character in a name breaks lists and mail headers.
-- Now one rule, app.text_is_displayable(value, multi_line), refuses:
-- - in a name or a short title (one line): every C0 and C1 control character (tab and line
--   break too), DEL, the line and paragraph separators, the direction marks (U+200E, U+200F,
--   U+061C) and the embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069);
-- - in a multi-line text (a note, a description, a reason, an email's body, a person's chat
--   message): the same but for tab, line feed and carriage return, which such a text holds,
--   and the direction marks, which mixed Hebrew or Arabic and Latin text legitimately uses.
-- Hebrew and Arabic letters are never refused: their direction is their own (שלום, مرحبا).
-- The rule is asked by a check constraint on each column below, so every path that writes
-- one — an RPC, the ingest, an Edge Function, the MCP server, the seeds, a job — is refused
-- alike, with the house code for a malformed argument: app.require_displayable_text raises
-- 22023 naming the field and the character (HTTP 400), and the statement writes nothing.
-- A workflow definition's texts (its name, step titles, branch labels, prompts) are checked
-- when it is saved, by app.definition_text_problem (restated whole from 20261206226000; the
-- one added case is the only change), so a bad step title is named by its path there rather
-- than when a workflow is started from it.
-- Left alone: texts a model writes (an assistant's chat reply, a daily brief's text) and
-- copies made of checked columns (queue cards, the history search's passages, the forecast's
-- names).
-- The demo seed and the scale seed hold none of these characters (checked before adding the
-- constraints; each constraint is validated against the rows already there). A project's own
-- rows written before this migration are mended as each constraint is added (below), so the
-- migration never fails on them.
-- supabase/tests/constraints/names_and_titles_hold_no_direction_overrides.test.sql.

-- The characters a text may not hold, as a regular-expression bracket expression: one list
-- for one-line texts, and the same less tab, LF, CR and the direction marks for multi-line ones.
create or replace function app.undisplayable_characters(multi_line boolean)
returns text
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
begin
  return case
    when undisplayable_characters.multi_line then
      '[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]'
    else
      '[\u0001-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]'
  end;
end;
$$;
revoke execute on function app.undisplayable_characters(boolean) from public, anon;
grant execute on function app.undisplayable_characters(boolean) to authenticated, service_role;

-- Whether `value` shows as what it says: none of the characters above. Null is displayable.
create or replace function app.text_is_displayable(value text, multi_line boolean default false)
returns boolean
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
begin
  return text_is_displayable.value is null
      or text_is_displayable.value !~ app.undisplayable_characters(text_is_displayable.multi_line);
end;
$$;
revoke execute on function app.text_is_displayable(text, boolean) from public, anon;
grant execute on function app.text_is_displayable(text, boolean) to authenticated, service_role;

-- True when `value` is displayable; otherwise 22023 naming the field, the character and where
-- it is. Check constraints call it, so a refusal is the house code rather than 23514.
create or replace function app.require_displayable_text(value text, name text, multi_line boolean default false)
returns boolean
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
declare
  v_at integer;
begin
  if app.text_is_displayable(require_displayable_text.value, require_displayable_text.multi_line) then
    return true;
  end if;
  v_at := pg_catalog.regexp_instr(require_displayable_text.value,
                                  app.undisplayable_characters(require_displayable_text.multi_line));
  raise exception '% must not contain control characters or text-direction overrides', require_displayable_text.name
    using errcode = '22023',
          detail = format('U+%s at character %s',
                          upper(lpad(to_hex(ascii(substr(require_displayable_text.value, v_at, 1))), 4, '0')), v_at),
          hint = case when require_displayable_text.multi_line
                      then 'Remove the invisible character (pasted text often carries one) and save again.'
                      else 'Keep the name on one line, without invisible characters (pasted text often carries one).' end;
end;
$$;
revoke execute on function app.require_displayable_text(text, text, boolean) from public, anon;
grant execute on function app.require_displayable_text(text, text, boolean) to authenticated, service_role;

-- The columns the rule guards: (table, column, multi-line, a condition on the row or null).
do $$
declare
  c record;
begin
  for c in
    select * from (values
      -- names and short titles: one line
      ('organisations', 'name', false, null),
      ('profiles', 'full_name', false, null),
      ('profiles', 'title', false, null),
      ('invitations', 'full_name', false, null),
      ('invitations', 'title', false, null),
      ('customers', 'name', false, null),
      ('customers', 'industry', false, null),
      ('stakeholders', 'name', false, null),
      ('stakeholders', 'title', false, null),
      ('stakeholders', 'role', false, null),
      ('workflows', 'name', false, null),
      ('workflow_step_executions', 'title', false, null),
      ('workflow_tasks', 'title', false, null),
      ('workflow_task_artifacts', 'title', false, null),
      ('workflow_task_artifact_versions', 'title', false, null),
      ('workflow_meetings', 'title', false, null),
      ('workflow_chat_threads', 'title', false, null),
      ('workflow_chat_branches', 'label', false, null),
      ('saved_actions', 'name', false, null),
      ('webhook_secrets', 'label', false, null),
      ('engagement_events', 'title', false, null),
      ('email_outbox', 'subject', false, null),
      ('invitation_notices', 'subject', false, null),
      ('notifications', 'title', false, null),
      ('contract_extractions', 'document_name', false, null),
      ('escalation_levels', 'label', false, null),
      ('task_types', 'label', false, null),
      ('task_priorities', 'label', false, null),
      ('workflow_types', 'label', false, null),
      -- what people write at length: tabs and line breaks kept
      ('workflow_chat_messages', 'content', true, 'role <> ''user'''),
      ('engagement_events', 'description', true, null),
      ('stakeholders', 'notes', true, null),
      ('email_outbox', 'body_text', true, null),
      ('workflow_tasks', 'description', true, null),
      ('workflow_tasks', 'skip_reason', true, null),
      ('workflow_tasks', 'reassign_reason', true, null),
      ('workflow_step_executions', 'skip_reason', true, null),
      ('workflows', 'description', true, null),
      ('workflow_versions', 'change_note', true, null),
      ('saved_actions', 'description', true, null),
      ('notifications', 'body', true, null),
      ('action_proposals', 'rationale', true, null),
      ('workflow_escalations', 'reason', true, null),
      ('workflow_escalations', 'resolution_note', true, null),
      ('renewal_forecasts', 'note', true, null)
    ) as v(tbl, col, multi_line, unless)
  loop
    -- Rows written before the rule (an installed project's own data) are mended first, so
    -- the migration applies and a later update of such a row is not refused for a character
    -- nobody can see: a line break or tab in a one-line text becomes a space, and every
    -- other refused character is removed.
    execute format('update app.%I set %I = pg_catalog.regexp_replace(case when %L then %I else pg_catalog.regexp_replace(%I, %L, '' '', ''g'') end, app.undisplayable_characters(%L), '''', ''g'') where not app.text_is_displayable(%I, %L)%s',
                   c.tbl, c.col, c.multi_line, c.col, c.col, '[\t\n\r\u2028\u2029]', c.multi_line, c.col, c.multi_line,
                   coalesce(' and not (' || c.unless || ')', ''));
    execute format('alter table app.%I add constraint %I check (%s app.require_displayable_text(%I, %L, %L))',
                   c.tbl, c.tbl || '_' || c.col || '_is_displayable',
                   coalesce(c.unless || ' or', ''), c.col, c.col, c.multi_line);
  end loop;
end;
$$;

create or replace function app.definition_text_problem(path text, value jsonb, max_length integer, required boolean)
returns text
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
begin
  return case
    when definition_text_problem.value is null or jsonb_typeof(definition_text_problem.value) = 'null' then
      case when definition_text_problem.required then definition_text_problem.path || ' is required' end
    when jsonb_typeof(definition_text_problem.value) <> 'string' then definition_text_problem.path || ' must be text'
    when definition_text_problem.required and app.trimmed(definition_text_problem.value #>> '{}') is null then
      definition_text_problem.path || ' must not be blank'
    when length(definition_text_problem.value #>> '{}') > definition_text_problem.max_length then
      definition_text_problem.path || ' must be at most ' || definition_text_problem.max_length || ' characters'
    -- a name, a title or a label is one line; a description or a prompt may hold several
    when not app.text_is_displayable(definition_text_problem.value #>> '{}',
                                     definition_text_problem.path !~ '(^|\.)(name|title|label)$') then
      definition_text_problem.path || ' must not contain control characters or text-direction overrides'
  end;
end;
$$;
