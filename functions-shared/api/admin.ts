// Administration: people, the organisation's settings and workflow catalogue, webhook
// secrets and ingest, the audit log; the team views a manager uses.
import { z } from 'zod';
import { WorkflowDefinition as DefinitionDocument } from '../admin/workflow-definition.ts';
import { JsonArg, JsonObject } from './json.ts';
import { CustomerRef, PersonRef } from './shapes.ts';

export const PERSON_ROLES = ['admin', 'manager', 'csm', 'viewer'] as const;
export const EXPERIENCE_LEVELS = ['junior', 'mid', 'senior', 'expert'] as const;
const Role = z.enum(PERSON_ROLES);
const Level = z.enum(EXPERIENCE_LEVELS);
/** Active, invited (never signed in yet) or deactivated. */
const PersonStatus = z.enum(['active', 'invited', 'deactivated']);
/** What became of a webhook delivery (app.webhook_deliveries' check). */
export const DELIVERY_OUTCOMES = ['applied', 'replayed', 'bad_signature', 'stale_timestamp', 'invalid_body', 'rejected', 'failed'] as const;

/** A person of the organisation as the People page lists them. */
export const Person = z.object({
  id: z.string(),
  full_name: z.string(),
  email: z.string(),
  role: Role,
  title: z.string().nullable(),
  experience_level: Level.nullable(),
  manager_id: z.string().nullable(),
  manager_name: z.string().nullable(),
  active: z.boolean(),
  deactivated_at: z.string().nullable(),
  open_tasks: z.number(),
  open_workflows: z.number(),
  /** How many customers they are CSM of. */
  customers: z.number(),
  created_at: z.string(),
});
export type Person = z.infer<typeof Person>;

/** A webhook signing secret; the secret itself only when created or rotated. */
const WebhookSecret = z.object({
  id: z.string(),
  label: z.string(),
  active: z.boolean(),
  secret_prefix: z.string(),
  created_at: z.string(),
  expires_at: z.string().nullable(),
});

/** The organisation's settings, defaults filled in. */
export const OrganisationSettings = z.object({
  time_zone: z.string(),
  snooze: z.object({ min_days: z.number(), max_days: z.number(), default_days: z.number() }),
  email: z.object({ require_approval: z.boolean(), allow_self_approval: z.boolean() }),
  thresholds: z.object({
    risk_score_trigger: z.number(),
    opportunity_score_trigger: z.number(),
    renewal_overdue_cutoff_days: z.number(),
  }),
  brief: z.object({ time: z.string() }),
  llm: z.object({ model: z.string() }),
  updated_at: z.string(),
});
export type OrganisationSettings = z.infer<typeof OrganisationSettings>;

/** When a workflow opens by itself (the orchestrator): a schedule, a stage, a score above a minimum ... */
const Trigger = z.object({
  kind: z.string(),
  every: z.string().optional(),
  plans: z.array(z.string()).optional(),
  stage: z.string().optional(),
  field: z.string().optional(),
  min: z.number().optional(),
});

/**
 * Whose a catalogue entry is: the core one, the organisation's version of a core one
 * (`override`), or the organisation's own.
 */
const Scope = z.enum(['core', 'override', 'organisation']);

/** A workflow of the catalogue (core, or the organisation's own) as the list shows it. */
export const WorkflowDefinitionSummary = z.object({
  key: z.string(),
  name: z.string(),
  type: z.string(),
  scope: Scope,
  description: z.string().nullable(),
  enabled: z.boolean(),
  version: z.number(),
  base_score: z.number(),
  trigger: Trigger,
  steps: z.array(z.object({ key: z.string(), title: z.string() })),
  step_count: z.number(),
  updated_at: z.string(),
});
export type WorkflowDefinitionSummary = z.infer<typeof WorkflowDefinitionSummary>;

/**
 * One definition with its full document (the editor's schema, functions-shared/admin/
 * workflow-definition.ts), the version before the shown one (null for the first: what a
 * person compares against) and its version history.
 */
export const WorkflowDefinition = WorkflowDefinitionSummary.extend({
  definition: DefinitionDocument,
  shown_version: z.number(),
  previous: z.object({ scope: Scope, version: z.number(), definition: DefinitionDocument }).nullable(),
  versions: z.array(z.object({
    scope: Scope,
    version: z.number(),
    created_at: z.string(),
    created_by: z.string().nullable(),
    change_note: z.string().nullable(),
  })),
});
export type WorkflowDefinition = z.infer<typeof WorkflowDefinition>;

/** An invitation as invite-person sends it: checked first, then written for the new user. */
const Invitation = z.object({
  actor_id: z.string(),
  email: z.string(),
  experience_level: z.string().nullish(),
  full_name: z.string(),
  manager_id: z.string().nullish(),
  role: z.string(),
  title: z.string().nullish(),
});

export const check_invited_person = {
  args: Invitation.extend({ idempotency_key: z.string().nullish() }),
  /**
   * `person` (replayed) when an invitation was made under the key already; `as_invited` for an
   * address whose account this organisation cannot take (not to be said): nothing goes through
   * Auth, create_unsent_invitation keeps it; else `has_account`, whether Auth holds a user with the address.
   */
  result: z.object({
    ok: z.literal(true), replayed: z.literal(true).optional(), person: Person.extend({ status: PersonStatus }).optional(),
    as_invited: Person.extend({ status: PersonStatus }).optional(),
    has_account: z.boolean().optional(),
  }),
};

export const create_invited_person = {
  args: Invitation.extend({ user_id: z.string(), idempotency_key: z.string().nullish() }),
  result: Person.extend({ status: PersonStatus }),
};

/**
 * An invitation check_invited_person answered `as_invited`, kept as a sent one is: the person
 * as a sent one answers, and the mail its address's owner is sent instead (never shown to the
 * organisation); or, under a key used already, the person it made (replayed).
 */
export const create_unsent_invitation = {
  args: Invitation.extend({ idempotency_key: z.string().nullish() }),
  result: z.object({
    person: Person.extend({ status: PersonStatus }),
    replayed: z.literal(true).optional(),
    notice: z.object({ to: z.string(), subject: z.string(), text: z.string() }).optional(),
  }),
};

/** A pending invitation as revoking or sending it again says it: never whether it was sent. */
export const PendingInvitation = z.object({ id: z.string(), email: z.string(), full_name: z.string(), role: Role });

/** An admin takes back a pending invitation (its link stops working; it leaves People). */
export const revoke_invitation = {
  args: z.object({ invitation_id: z.string() }),
  result: z.object({ revoked: PendingInvitation }),
};

/**
 * Service role only (resend-invitation): a resend stored and audited before anything is mailed;
 * `notice` is the mail to send the owner of an address that made nobody, else Auth invites again.
 */
export const record_invitation_resend = {
  args: z.object({ actor_id: z.string(), invitation_id: z.string() }),
  result: z.object({
    invitation: PendingInvitation,
    notice: z.object({ to: z.string(), subject: z.string(), text: z.string() }).optional(),
  }),
};

/** Service role only (resend-invitation): the admin's newest resend failed to go out; it no longer counts. */
export const record_failed_invitation_resend = {
  args: z.object({ actor_id: z.string(), invitation_id: z.string() }),
  result: z.boolean(),
};

export const create_organisation = {
  args: z.object({
    admin_email: z.string(),
    admin_full_name: z.string(),
    admin_user_id: z.string(),
    name: z.string(),
    slug: z.string().nullish(),
    time_zone: z.string().nullish(),
  }),
  result: z.object({
    slug: z.string(),
    admin_id: z.string(),
    organisation_id: z.string(),
  }),
};

export const create_webhook_secret = {
  args: z.object({
    label: z.string().nullish(),
    idempotency_key: z.string().nullish(),
  }),
  result: WebhookSecret.omit({ secret_prefix: true }).extend({ secret: z.string() }),
};

export const get_integrations_overview = {
  args: z.object({
    page_size: z.number().nullish(),
  }),
  result: z.object({
    secrets: z.array(WebhookSecret),
    org_slug: z.string(),
    deliveries: z.array(z.object({
      id: z.number(),
      status: z.number(),
      message: z.string().nullable(),
      outcome: z.enum(DELIVERY_OUTCOMES),
      webhook_id: z.string().nullable(),
      event_count: z.number(),
      received_at: z.string(),
    })),
    ingest_path: z.string(),
  }),
};

export const get_organisation_settings = {
  args: z.object({}),
  result: OrganisationSettings,
};

export const get_team_overview = {
  args: z.object({}),
  result: z.object({
    as_of: z.string(),
    totals: z.object({
      now: z.number(),
      open: z.number(),
      overdue: z.number(),
      escalated: z.number(),
      open_escalations: z.number(),
    }),
    members: z.array(z.object({
      id: z.string(),
      role: Role,
      email: z.string(),
      lanes: z.object({
        now: z.number(),
        soon: z.number(),
        planned: z.number(),
      }),
      title: z.string().nullable(),
      overdue: z.number(),
      snoozed: z.number(),
      escalated: z.number(),
      full_name: z.string(),
      manager_id: z.string().nullable(),
      open_tasks: z.number(),
      open_total: z.number(),
      in_progress: z.number(),
      overdue_tasks: z.number(),
      reports_to_me: z.boolean(),
      /** Their sign-in stopped: what they hold waits for a hand-over (People). */
      deactivated: z.boolean(),
      experience_level: z.string().nullable(),
    })),
    quarter: z.object({
      end: z.string(),
      label: z.string(),
      start: z.string(),
    }),
    renewals: z.object({
      arr: z.number().nullable(),
      count: z.number(),
      /** Of `count`, the renewals closed with an outcome (not in `items`, which lists the open ones). */
      closed: z.number(),
      overdue: z.number(),
      overdue_without_work: z.number(),
      items: z.array(z.object({
        arr: z.number().nullable(),
        name: z.string(),
        assignee_id: z.string().nullable(),
        customer_id: z.string(),
        execution_id: z.string().nullable(),
        health_score: z.number().nullable(),
        renewal_date: z.string().nullable(),
        assignee_name: z.string().nullable(),
        decision_date: z.string().nullable(),
        renewal_stage: z.string().nullable(),
        days_until_decision: z.number().nullable(),
      })),
    }),
  }),
};

export const get_workflow_definition = {
  args: z.object({
    version: z.number().nullish(),
    workflow_key: z.string(),
  }),
  result: WorkflowDefinition,
};

export const list_admin_audit = {
  args: z.object({
    cursor: z.string().nullish(),
    entity: z.string().nullish(),
    page_size: z.number().nullish(),
  }),
  result: z.object({
    items: z.array(z.object({
      at: z.string(),
      id: z.number(),
      actor: PersonRef.nullable(),
      /** Null for a record removed (a revoked invitation), as `before` is for one made. */
      after: JsonObject.nullable(),
      action: z.string(),
      before: JsonObject.nullable(),
      entity: z.string(),
      entity_id: z.string().nullable(),
    })),
    next_cursor: z.string().nullable(),
  }),
};

export const list_people = {
  args: z.object({}),
  result: z.array(Person.extend({
    status: PersonStatus, invited_at: z.string().nullable(), last_sign_in_at: z.string().nullable(),
    /** Who invited them (kept since invitations are: null for people who came before, and the first admin). */
    invited_by: PersonRef.nullable(),
  })),
};

export const list_team_members = {
  args: z.object({}),
  result: z.array(z.object({
    id: z.string(),
    role: Role,
    email: z.string(),
    title: z.string().nullable(),
    full_name: z.string(),
    manager_id: z.string().nullable(),
    open_workflows: z.number(),
    experience_level: z.string().nullable(),
    /** Invited and not joined yet (never confirmed nor signed in): the pickers mark them. */
    invited: z.boolean(),
    /** Deactivated: the server refuses them work, so the pickers leave them out. */
    deactivated: z.boolean(),
  })),
};

export const list_webhook_secrets = {
  args: z.object({}),
  result: z.array(WebhookSecret),
};

export const list_workflow_definitions = {
  args: z.object({}),
  result: z.array(WorkflowDefinitionSummary),
};

export const revoke_webhook_secret = {
  args: z.object({
    grace_period_minutes: z.number().nullish(),
    secret_id: z.string(),
  }),
  result: WebhookSecret,
};

export const rotate_webhook_secret = {
  args: z.object({
    idempotency_key: z.string().nullish(),
    overlap_hours: z.number().nullish(),
    secret_id: z.string(),
  }),
  result: z.object({ secret: WebhookSecret.extend({ secret: z.string() }), previous: WebhookSecret }),
};

export const save_workflow_definition = {
  args: z.object({
    base_version: z.number(),
    definition: JsonArg,
    workflow_key: z.string(),
  }),
  result: WorkflowDefinition,
};

export const set_workflow_enabled = {
  args: z.object({
    enabled: z.boolean(),
    workflow_key: z.string(),
  }),
  result: WorkflowDefinitionSummary,
};

/** What a hand-over moved to its new owner (reassign_customer, hand_over_work). */
const HandedOver = z.object({ customers: z.number(), workflows: z.number(), tasks: z.number() });

/** Managers and admins: a customer to another CSM; its open workflows and the open tasks its CSM held follow. */
export const reassign_customer = {
  args: z.object({
    assignee_id: z.string(),
    customer_id: z.string(),
    idempotency_key: z.string().nullish(),
    reason: z.string(),
  }),
  result: z.object({
    customer_id: z.string(),
    assignee_id: z.string(),
    assignee_name: z.string(),
    previous_assignee_id: z.string().nullable(),
    handed_over: HandedOver,
  }),
};

/** Managers and admins: everything a person holds (customers, open workflows, open tasks) to one colleague. */
export const hand_over_work = {
  args: z.object({
    assignee_id: z.string(),
    idempotency_key: z.string().nullish(),
    profile_id: z.string(),
    reason: z.string(),
  }),
  result: z.object({
    profile_id: z.string(),
    assignee_id: z.string(),
    assignee_name: z.string(),
    handed_over: HandedOver,
  }),
};

export const update_organisation_settings = {
  args: z.object({
    changes: JsonArg,
  }),
  result: OrganisationSettings,
};

/** A person's open work, to hand on when they are deactivated (app.person_open_work). */
const PersonOpenWork = z.object({
  tasks: z.array(z.object({
    id: z.string(),
    title: z.string(),
    status: z.string(),
    customer: CustomerRef,
    due_date: z.string().nullable(),
    execution_id: z.string().nullable(),
  })),
  executions: z.array(z.object({
    id: z.string(),
    status: z.string(),
    customer: CustomerRef,
    workflow_key: z.string(),
    workflow_name: z.string(),
  })),
  /** How many customers they are CSM of: hand_over_work moves them with the rest. */
  customers: z.number(),
});

export const update_person = {
  args: z.object({
    changes: JsonArg,
    profile_id: z.string(),
  }),
  result: z.object({
    person: Person,
    /** A deactivated person's open work, to hand on. */
    open_work: PersonOpenWork,
  }),
};

/** Admins and managers: a person's open work again, after the deactivation that answered it. */
export const get_person_open_work = {
  args: z.object({
    profile_id: z.string(),
  }),
  result: PersonOpenWork,
};
