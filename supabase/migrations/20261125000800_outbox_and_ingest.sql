-- The email outbox, webhook signing secrets and processed webhook ids (api.md
-- `execute-action`, `ingest`).
--
-- Why: sending an email is a side effect with its own status; the state change that
-- asked for it is recorded first and never undone by a failed send, so the outbox row is
-- the durable hand-off (retried until sent). Ingest webhooks are signed per organisation
-- (several active secrets during a rotation) and a repeated `webhook-id` is recognised by
-- a primary key, so a replay is acknowledged and not applied twice.

create table app.email_outbox (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references app.organisations (id) on delete cascade,
  execution_id uuid,
  artifact_id uuid,
  action_execution_id uuid references app.action_executions (id) on delete set null,
  requested_by uuid,
  to_addresses text[] not null,
  cc_addresses text[] not null default '{}',
  subject text not null,
  body_text text not null,
  body_html text,
  status text not null default 'queued',
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  provider_message_id text,
  sent_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint email_outbox_status_is_known check (status in ('queued', 'sending', 'sent', 'failed', 'cancelled')),
  constraint email_outbox_has_a_recipient check (cardinality(to_addresses) >= 1),
  constraint email_outbox_subject_is_not_blank check (btrim(subject) <> ''),
  constraint email_outbox_attempts_is_not_negative check (attempts >= 0),
  constraint email_outbox_sent_is_dated check (status <> 'sent' or sent_at is not null),
  constraint email_outbox_execution_is_in_organisation foreign key (execution_id, org_id)
    references app.workflow_executions (id, org_id) on delete set null (execution_id),
  constraint email_outbox_artifact_is_in_organisation foreign key (artifact_id, org_id)
    references app.workflow_task_artifacts (id, org_id) on delete set null (artifact_id),
  constraint email_outbox_requester_is_in_organisation foreign key (requested_by, org_id)
    references app.profiles (id, org_id) on delete set null (requested_by)
);
-- The sender picks due rows in order.
create index email_outbox_org_id_status_idx on app.email_outbox (org_id, status, next_attempt_at);
create index email_outbox_due_idx on app.email_outbox (next_attempt_at) where status in ('queued', 'failed');
create index email_outbox_execution_id_idx on app.email_outbox (execution_id, org_id) where execution_id is not null;
create index email_outbox_artifact_id_idx on app.email_outbox (artifact_id, org_id) where artifact_id is not null;
create index email_outbox_action_execution_id_idx on app.email_outbox (action_execution_id)
  where action_execution_id is not null;
create index email_outbox_requested_by_idx on app.email_outbox (requested_by, org_id) where requested_by is not null;
comment on table app.email_outbox is 'Emails waiting to be sent or sent, each with its own delivery status.';

create table app.webhook_secrets (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references app.organisations (id) on delete cascade,
  label text not null default 'default',
  secret text not null,
  active boolean not null default true,
  expires_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint webhook_secrets_secret_is_standard_webhooks_format check (secret ~ '^whsec_[A-Za-z0-9+/=]{16,}$'),
  constraint webhook_secrets_secret_is_unique unique (secret)
);
create index webhook_secrets_org_id_idx on app.webhook_secrets (org_id, active);
comment on table app.webhook_secrets is 'Standard Webhooks signing secrets per organisation; several may be active during a rotation.';

create table app.processed_webhooks (
  org_id uuid not null references app.organisations (id) on delete cascade,
  webhook_id text not null,
  received_at timestamptz not null default now(),
  event_count integer not null default 0,
  result jsonb not null default '{}'::jsonb,
  constraint processed_webhooks_webhook_id_is_not_blank check (btrim(webhook_id) <> ''),
  constraint processed_webhooks_event_count_is_not_negative check (event_count >= 0),
  constraint processed_webhooks_pkey primary key (org_id, webhook_id)
);
create index processed_webhooks_received_at_idx on app.processed_webhooks (received_at);
comment on table app.processed_webhooks is 'Webhook ids already applied, so a replayed delivery is acknowledged and not applied twice.';

create trigger email_outbox_touch_updated_at before update on app.email_outbox
  for each row execute function app.touch_updated_at();
create trigger webhook_secrets_touch_updated_at before update on app.webhook_secrets
  for each row execute function app.touch_updated_at();

alter table app.email_outbox enable row level security;
alter table app.webhook_secrets enable row level security;
alter table app.processed_webhooks enable row level security;
