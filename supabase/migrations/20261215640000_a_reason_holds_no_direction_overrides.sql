-- A reason or a note given to change a workflow holds no text-direction override and no
-- control character but tab and line breaks (docs/business-rules.md "Displayable text").
--
-- What and why: cancel_workflow, complete_workflow (steps skipped), reassign_workflow(s),
-- reassign_customer, hand_over_work, withdraw_escalation and resolve_escalation read their
-- reason or note with one helper, app.required_text (required, trimmed, at most 2000
-- characters), and keep it in the workflow's outcome and history and in what they tell
-- people. 20261214300000 guarded the columns a reason lands in (an escalation's reason, a
-- skipped step's note, a notification's body), so a reason was refused or not by where it
-- happened to go: a cancel's reason 'Not needed<U+202E>gnp.exe' was kept as sent, and a
-- manager's reassignment reason was refused naming "body" (the notification's), not the
-- argument. Now the helper asks the rule of a text of several lines itself
-- (app.require_displayable_text, multi-line: line breaks, tabs and direction marks stay):
-- 22023 naming the argument, before anything is written. Restated from 20261206226000; the
-- check is the change.
-- supabase/tests/constraints/a_reason_holds_no_direction_overrides.test.sql.

create or replace function app.required_text(value text, name text, what text)
returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_text text := app.trimmed(required_text.value);
begin
  if v_text is null then
    raise exception '% is required %', required_text.name, required_text.what using errcode = '22023';
  end if;
  if length(required_text.value) > 2000 then
    raise exception '% must be at most 2000 characters', required_text.name using errcode = '22023';
  end if;
  perform app.require_displayable_text(v_text, required_text.name, true);
  return v_text;
end;
$$;
