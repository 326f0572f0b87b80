-- What an action was run with holds no text-direction override, and no control character
-- where the screens show it on one line (docs/business-rules.md "Displayable text").
--
-- What and why: an action's params (a snooze's or a skip's reason, a meeting's title and
-- attendees, a task's title) are logged in app.action_executions before anything is applied,
-- and the workflow page's action log and the customer's timeline show them ("Snooze: <the
-- reason>"). A proposal's params are held to the rule since 20261215400100 (and a person's
-- reasons on their own columns since 20261214300000), but an action run directly, through
-- execute_action or the execute-action function, logged them as sent: a snooze 'Waiting
-- <U+202E>gnp.exe' read 'Waitingexe.png' on the timeline of everyone in the organisation.
--
-- The log's one trigger on what it is asked (app.action_log_keeps_readable_params, restated
-- from 20261205201500, which bounds its size) now also asks the rule of a proposal's params,
-- app.require_displayable_json: a recorded action whose params hold such a character is 22023
-- naming the field (params.reason), and the call that asked for it applies nothing (the log is
-- written before the action). A refused call's log (log_refused_action, result.refused) is kept,
-- as every call is, with those characters left out, so the refusal still shows and shows as
-- what it says. app.require_displayable_json is the proposals' rule, from 20261215400100.
-- Rows logged before are left as they were.
-- supabase/tests/constraints/an_actions_params_hold_no_direction_overrides.test.sql.

create or replace function app.action_log_keeps_readable_params()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform app.require_text_within(new.params::text, 'params', 20000);
  if new.result ->> 'refused' = 'true' then
    -- A refusal is logged whatever it was sent, less what would make it show as something
    -- else (raw in jsonb's text: the overrides, isolates and C1 controls).
    new.params := pg_catalog.regexp_replace(new.params::text, app.undisplayable_characters(true), '', 'g')::jsonb;
  else
    perform app.require_displayable_json(new.params, 'params');
  end if;
  return new;
end;
$$;
comment on function app.action_log_keeps_readable_params() is
  'Before an action is logged: its params within 20 000 characters and displayable (app.require_displayable_json); a refused call''s are kept less the characters that would make them show as something else.';
