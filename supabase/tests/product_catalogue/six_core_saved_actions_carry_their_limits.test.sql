-- The six core saved actions ship with the limits and defaults of docs/business-rules.md.
begin;
select plan(7);

select set_eq(
  $$ select a.key, a.action_type from app.saved_actions a where a.org_id is null $$,
  $$ values ('snooze', 'snooze'), ('skip', 'skip'), ('escalate', 'escalate'),
            ('schedule_meeting', 'schedule_meeting'), ('send_email', 'send_email'), ('create_task', 'create_task') $$,
  'the six core saved actions'
);

select is(
  (select a.config from app.saved_actions a where a.org_id is null and a.key = 'snooze'),
  '{"default_days": 7, "min_days": 1, "max_days": 30, "reason_required": true}'::jsonb,
  'snooze: 7 days by default, 1 to 30, reason required'
);

select is(
  (select a.config -> 'reasons' from app.saved_actions a where a.org_id is null and a.key = 'skip'),
  '["Not applicable", "Already completed", "Customer requested skip", "Internal decision", "Other"]'::jsonb,
  'skip: the five reasons'
);

select is(
  (select a.config - 'notify' from app.saved_actions a where a.org_id is null and a.key = 'escalate'),
  '{"levels": ["manager", "vp_cs", "ceo"], "default_level": "manager", "reason_required": true}'::jsonb,
  'escalate: manager (default), vp_cs or ceo, reason required'
);

select is(
  (select jsonb_build_array(a.config -> 'durations_minutes', a.config -> 'default_duration_minutes')
     from app.saved_actions a where a.org_id is null and a.key = 'schedule_meeting'),
  '[[15, 30, 45, 60], 30]'::jsonb,
  'schedule_meeting: 15/30/45/60 minutes, 30 by default'
);

select is(
  (select jsonb_build_array(a.config ->> 'artifact_type', a.config ->> 'approval_setting')
     from app.saved_actions a where a.org_id is null and a.key = 'send_email'),
  '["email_draft", "require_email_approval"]'::jsonb,
  'send_email: from an email draft, approval as the organisation requires'
);

select is(
  (select jsonb_build_array(a.config -> 'due_date_required', a.config -> 'default_priority')
     from app.saved_actions a where a.org_id is null and a.key = 'create_task'),
  '[true, "medium"]'::jsonb,
  'create_task: due date required, medium priority by default'
);

select * from finish();
rollback;
