-- The saved-action config check answers every broken rule with its own message, in a fixed
-- order: the true/false settings, then the type's own rules (lists, days, choices), then
-- the settings the type fixes (app.config_fixed_problems, one row per fixed setting). The
-- list rule (app.config_list_is_valid) is one for skip reasons and meeting durations.
begin;
select plan(14);

select is(app.saved_action_config_problems('snooze', '{"default_days": 3, "min_days": 1, "max_days": 7, "reason_required": false}'),
  array['config.reason_required must stay true: a snooze always says why'], 'a snooze always says why');
select is(app.saved_action_config_problems('snooze', '{"default_days": 1.5, "min_days": 1, "max_days": 7, "reason_required": "yes"}'),
  array['config.reason_required must be true or false', 'config.default_days, min_days and max_days must be whole numbers of days',
        'config.reason_required must stay true: a snooze always says why'],
  'flags first, then the days, then the fixed setting');
select is(app.saved_action_config_problems('snooze', '{"default_days": 3, "min_days": 5, "max_days": 7, "reason_required": true}'),
  array['config.default_days must not be fewer than the fewest days (5)'], 'snooze days in order');

select is(app.saved_action_config_problems('skip', '{"reasons": [], "reason_required": false}'),
  array['config.reasons must be a list of 1 to 20 distinct reasons, each 1 to 80 characters',
        'config.reason_required must stay true: a skipped step always says why'],
  'skip: no reasons and no reason required');
select is(app.saved_action_config_problems('skip', '{"reasons": ["Done", "Done"], "reason_required": true}'),
  array['config.reasons must be a list of 1 to 20 distinct reasons, each 1 to 80 characters'], 'skip reasons are distinct');
select is(app.saved_action_config_problems('skip', jsonb_build_object('reasons', jsonb_build_array(' ', repeat('x', 81)), 'reason_required', true)),
  array['config.reasons must be a list of 1 to 20 distinct reasons, each 1 to 80 characters'], 'skip reasons are not blank and short');
select is(app.saved_action_config_problems('skip', jsonb_build_object('reasons', jsonb_build_array(repeat('x', 80), 'Other'), 'reason_required', true)),
  '{}'::text[], 'an 80-character reason is fine');

select is(app.saved_action_config_problems('escalate', '{"levels": ["manager"], "default_level": "manager", "reason_required": false, "notify": "csm"}'),
  array['config.reason_required must stay true: an escalation always says why', 'config.notify must be assignee_manager'],
  'an escalation says why and notifies the assignee''s manager');

select is(app.saved_action_config_problems('schedule_meeting',
    '{"durations_minutes": [30, 30], "default_duration_minutes": 30, "date_required": true, "attendees_allowed": true, "creates_task_type": "follow_up"}'),
  array['config.durations_minutes must be a list of 1 to 12 distinct whole minutes from 5 to 480',
        'config.creates_task_type must be schedule_meeting'],
  'meeting durations distinct, and the meeting''s task is a schedule_meeting task');
select is(app.saved_action_config_problems('schedule_meeting',
    '{"durations_minutes": [4], "default_duration_minutes": 4, "date_required": true, "attendees_allowed": true, "creates_task_type": "schedule_meeting"}'),
  array['config.durations_minutes must be a list of 1 to 12 distinct whole minutes from 5 to 480'], 'at least 5 minutes');
select is(app.saved_action_config_problems('schedule_meeting',
    '{"durations_minutes": [30.5], "default_duration_minutes": 30.5, "date_required": true, "attendees_allowed": true, "creates_task_type": "schedule_meeting"}'),
  array['config.durations_minutes must be a list of 1 to 12 distinct whole minutes from 5 to 480'], 'whole minutes');
select is(app.saved_action_config_problems('schedule_meeting',
    '{"durations_minutes": [30, 480], "default_duration_minutes": 45, "date_required": true, "attendees_allowed": true, "creates_task_type": "schedule_meeting"}'),
  array['config.default_duration_minutes must be one of config.durations_minutes'], 'the default is offered');

select is(app.saved_action_config_problems('create_task',
    '{"due_date_required": false, "default_priority": "medium", "priorities": ["medium"], "default_task_type": "nope"}'),
  array['config.default_task_type must be a task type', 'config.due_date_required must stay true: a follow-up task always has a due date'],
  'create_task: a known type, and always a due date');
select is(app.saved_action_config_problems('create_task',
    '{"due_date_required": true, "default_priority": "medium", "priorities": ["medium"], "default_task_type": "follow_up"}'),
  '{}'::text[], 'a valid create_task config has no problems');

select * from finish();
rollback;
