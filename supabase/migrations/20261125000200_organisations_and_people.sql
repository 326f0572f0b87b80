-- Tenancy and people: organisations, their settings, profiles, user preferences and
-- notifications (domain.md "Tenancy and people", "User preferences").
--
-- Why: every business row carries `org_id`, and row-level security decides visibility
-- from the caller's profile (one organisation per person, one role). Rows that point at
-- a person use a composite foreign key on (their org_id, the person's id) referencing
-- profiles (org_id, id), so a row can never name someone from another organisation. The
-- key's column order follows the index that serves it: `org_id` first where that index
-- is also the one policies and lists use, the person first for rarely-read audit columns.

create table app.organisations (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  slug text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint organisations_name_is_not_blank check (btrim(name) <> ''),
  constraint organisations_slug_is_lowercase_words check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  constraint organisations_slug_is_unique unique (slug)
);
comment on table app.organisations is 'A CS team: the tenant every business row belongs to.';

-- One row per organisation. Every number is a domain.md default an organisation may change.
create table app.organisation_settings (
  org_id uuid primary key references app.organisations (id) on delete cascade,
  time_zone text not null default 'UTC',
  require_email_approval boolean not null default true,
  risk_score_trigger integer not null default 60,
  opportunity_score_trigger integer not null default 70,
  renewal_overdue_cutoff_days integer not null default 30,
  snooze_default_days integer not null default 7,
  snooze_min_days integer not null default 1,
  snooze_max_days integer not null default 30,
  task_snooze_window_days integer not null default 7,
  task_auto_skip_hours integer not null default 24,
  task_auto_skip_hours_long integer not null default 48,
  settings jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint organisation_settings_time_zone_is_known check (app.is_time_zone(time_zone)),
  constraint organisation_settings_risk_trigger_is_percentage check (risk_score_trigger between 0 and 100),
  constraint organisation_settings_opportunity_trigger_is_percentage check (opportunity_score_trigger between 0 and 100),
  constraint organisation_settings_overdue_cutoff_is_positive check (renewal_overdue_cutoff_days > 0),
  constraint organisation_settings_snooze_limits_are_ordered check (
    snooze_min_days >= 1 and snooze_min_days <= snooze_default_days and snooze_default_days <= snooze_max_days
  ),
  constraint organisation_settings_task_window_is_positive check (task_snooze_window_days > 0),
  constraint organisation_settings_auto_skip_hours_are_positive check (task_auto_skip_hours > 0 and task_auto_skip_hours_long > 0),
  constraint organisation_settings_settings_is_object check (jsonb_typeof(settings) = 'object')
);
comment on table app.organisation_settings is 'Per-organisation thresholds, time zone and approval rules (domain.md defaults).';

-- A person: one row per auth.users row, in exactly one organisation.
create table app.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  org_id uuid not null references app.organisations (id) on delete cascade,
  role text not null default 'csm',
  manager_id uuid,
  full_name text not null,
  email text not null,
  title text,
  experience_level text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint profiles_role_is_known check (role in ('admin', 'manager', 'csm', 'viewer')),
  constraint profiles_experience_level_is_known check (experience_level in ('junior', 'mid', 'senior', 'expert')),
  constraint profiles_full_name_is_not_blank check (btrim(full_name) <> ''),
  constraint profiles_email_looks_like_an_email check (email ~ '^[^@\s]+@[^@\s]+$'),
  constraint profiles_manager_is_not_self check (manager_id <> id),
  -- Target of the composite "same organisation" foreign keys.
  constraint profiles_id_org_id_key unique (id, org_id),
  constraint profiles_manager_is_in_same_organisation foreign key (org_id, manager_id)
    references app.profiles (org_id, id) on delete set null (manager_id)
);
create index profiles_org_id_role_idx on app.profiles (org_id, role);
create index profiles_org_id_manager_id_idx on app.profiles (org_id, manager_id) where manager_id is not null;
comment on table app.profiles is 'A person of an organisation with their role (admin, manager, csm, viewer).';

-- Stored preferences: only what the person changed; RPCs fill in domain.md defaults.
create table app.user_preferences (
  user_id uuid primary key,
  org_id uuid not null,
  chat jsonb not null default '{}'::jsonb,
  notifications jsonb not null default '{}'::jsonb,
  ui jsonb not null default '{}'::jsonb,
  workflow jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint user_preferences_chat_is_object check (jsonb_typeof(chat) = 'object'),
  constraint user_preferences_notifications_is_object check (jsonb_typeof(notifications) = 'object'),
  constraint user_preferences_ui_is_object check (jsonb_typeof(ui) = 'object'),
  constraint user_preferences_workflow_is_object check (jsonb_typeof(workflow) = 'object'),
  constraint user_preferences_user_is_in_organisation foreign key (org_id, user_id)
    references app.profiles (org_id, id) on delete cascade
);
create index user_preferences_org_id_user_id_idx on app.user_preferences (org_id, user_id);
comment on table app.user_preferences is 'A person''s preferences (chat, notifications, ui, workflow), private to them.';

create table app.notifications (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  user_id uuid not null,
  notification_type text not null,
  title text not null,
  body text,
  -- What the notification is about ({execution_id, task_id, ...}); no foreign key, a
  -- notification outlives its subject.
  data jsonb not null default '{}'::jsonb,
  read_at timestamptz,
  created_at timestamptz not null default now(),
  constraint notifications_type_is_known check (notification_type in (
    'escalation', 'task_assigned', 'task_reassigned', 'task_due', 'task_force_action',
    'workflow_assigned', 'workflow_woken', 'mention', 'system'
  )),
  constraint notifications_title_is_not_blank check (btrim(title) <> ''),
  constraint notifications_data_is_object check (jsonb_typeof(data) = 'object'),
  constraint notifications_recipient_is_in_organisation foreign key (org_id, user_id)
    references app.profiles (org_id, id) on delete cascade
);
create index notifications_org_id_user_id_created_at_idx on app.notifications (org_id, user_id, created_at desc);
create index notifications_unread_idx on app.notifications (user_id, created_at desc) where read_at is null;
comment on table app.notifications is 'In-app notifications for one person, private to them.';

create trigger organisations_touch_updated_at before update on app.organisations
  for each row execute function app.touch_updated_at();
create trigger organisation_settings_touch_updated_at before update on app.organisation_settings
  for each row execute function app.touch_updated_at();
create trigger profiles_touch_updated_at before update on app.profiles
  for each row execute function app.touch_updated_at();
create trigger user_preferences_touch_updated_at before update on app.user_preferences
  for each row execute function app.touch_updated_at();

-- Every organisation has its settings row, so readers never need a coalesce per field.
create or replace function app.create_organisation_settings()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  insert into app.organisation_settings (org_id) values (new.id) on conflict do nothing;
  return new;
end;
$$;

create trigger organisations_create_settings after insert on app.organisations
  for each row execute function app.create_organisation_settings();

alter table app.organisations enable row level security;
alter table app.organisation_settings enable row level security;
alter table app.profiles enable row level security;
alter table app.user_preferences enable row level security;
alter table app.notifications enable row level security;
