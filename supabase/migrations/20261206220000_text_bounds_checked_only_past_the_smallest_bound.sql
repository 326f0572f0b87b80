-- The row triggers that bound outcomes, skip reasons and chat messages run only for a text
-- long enough to be refused (issue 18; docs/performance.md, 6 Dec 2026 "Bulk writes skip
-- the bounds' trigger calls").
--
-- What and why: each of these triggers called a PL/pgSQL function for every row written
-- (a function call and a second call to app.require_text_within), although nearly every row
-- is far below its bound. At 300 000 customers the scale seed writes 6 000 000 chat
-- messages, 3 000 000 executions and 11 900 000 step rows: 71 s of its 20 minutes went to
-- these functions (their time under track_functions). Each trigger's condition now also asks whether the text
-- is longer than the smallest bound its function can apply; shorter text never reaches the
-- function. The functions are unchanged and stay the authority on the bound and the error
-- (22023 naming the field): for a longer text they decide as before (a person's chat
-- message is refused past 20 000 characters, the assistant's past 100 000).
-- The numbers in the conditions are the functions' smallest bounds
-- (app.outcomes_keep_readable_text: outcome 20 000, reason 2 000;
-- app.chat_messages_keep_readable_text: 20 000); a pgTAP test
-- (complete_step/outcomes_and_notes_within_bounds) crosses each of them.

drop trigger workflow_executions_keep_readable_text_ins on app.workflow_executions;
create trigger workflow_executions_keep_readable_text_ins
  before insert on app.workflow_executions
  for each row when (new.outcome is not null and length(new.outcome::text) > 20000)
  execute function app.outcomes_keep_readable_text();

drop trigger workflow_executions_keep_readable_text_upd on app.workflow_executions;
create trigger workflow_executions_keep_readable_text_upd
  before update of outcome on app.workflow_executions
  for each row when (new.outcome is distinct from old.outcome and length(new.outcome::text) > 20000)
  execute function app.outcomes_keep_readable_text();

drop trigger workflow_step_executions_keep_readable_text_ins on app.workflow_step_executions;
create trigger workflow_step_executions_keep_readable_text_ins
  before insert on app.workflow_step_executions
  for each row when (length(new.outcome::text) > 20000 or length(new.skip_reason) > 2000)
  execute function app.outcomes_keep_readable_text();

drop trigger workflow_step_executions_keep_readable_text_upd on app.workflow_step_executions;
create trigger workflow_step_executions_keep_readable_text_upd
  before update of outcome, skip_reason on app.workflow_step_executions
  for each row when ((new.outcome is distinct from old.outcome and length(new.outcome::text) > 20000)
                     or (new.skip_reason is distinct from old.skip_reason and length(new.skip_reason) > 2000))
  execute function app.outcomes_keep_readable_text();

drop trigger workflow_chat_messages_keep_readable_text on app.workflow_chat_messages;
create trigger workflow_chat_messages_keep_readable_text
  before insert or update of content on app.workflow_chat_messages
  for each row when (length(new.content) > 20000)
  execute function app.chat_messages_keep_readable_text();
