import { z } from 'zod';
import { JsonObject, JsonValue } from './json.ts';

export const create_invited_person = {
  args: z.object({
    actor_id: z.string(),
    email: z.string(),
    experience_level: z.string().optional(),
    full_name: z.string(),
    manager_id: z.string().optional(),
    role: z.string(),
    title: z.string().optional(),
    user_id: z.string(),
  }),
  result: z.object({
    id: z.string(),
    role: z.string(),
    email: z.string(),
    title: z.string().nullable(),
    active: z.boolean(),
    status: z.string(),
    full_name: z.string(),
    created_at: z.string(),
    manager_id: z.string().nullable(),
    open_tasks: z.number(),
    manager_name: z.string().nullable(),
    deactivated_at: z.string().nullable(),
    open_workflows: z.number(),
    experience_level: z.string().nullable(),
  }),
};

export const create_organisation = {
  args: z.object({
    admin_email: z.string(),
    admin_full_name: z.string(),
    admin_user_id: z.string(),
    name: z.string(),
    slug: z.string().optional(),
    time_zone: z.string().optional(),
  }),
  result: z.object({
    slug: z.string(),
    admin_id: z.string(),
    organisation_id: z.string(),
  }),
};

export const create_webhook_secret = {
  args: z.object({
    label: z.string().optional(),
  }),
  result: z.object({
    id: z.string(),
    label: z.string(),
    active: z.boolean(),
    secret: z.string(),
    created_at: z.string(),
    expires_at: z.string().nullable(),
  }),
};

export const get_integrations_overview = {
  args: z.object({
    page_size: z.number().optional(),
  }),
  result: z.object({
    secrets: z.array(z.object({
      id: z.string(),
      label: z.string(),
      active: z.boolean(),
      created_at: z.string(),
      expires_at: z.string().nullable(),
      secret_prefix: z.string(),
    })),
    org_slug: z.string(),
    deliveries: z.array(z.object({
      id: z.number(),
      status: z.number(),
      message: z.string().nullable(),
      outcome: JsonValue,
      webhook_id: z.string(),
      event_count: z.number(),
      received_at: z.string().nullable(),
    })),
    ingest_path: z.string(),
  }),
};

export const get_organisation_settings = {
  args: z.object({}),
  result: z.object({
    llm: JsonObject,
    brief: JsonObject,
    email: z.object({
      require_approval: z.boolean(),
      allow_self_approval: z.boolean(),
    }),
    snooze: z.object({
      max_days: z.number(),
      min_days: z.number(),
      default_days: z.number(),
    }),
    time_zone: z.string(),
    thresholds: z.object({
      risk_score_trigger: z.number(),
      opportunity_score_trigger: z.number(),
      renewal_overdue_cutoff_days: z.number(),
    }),
    updated_at: z.string(),
  }),
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
      role: z.string(),
      email: z.string(),
      lanes: z.object({
        now: z.number(),
        soon: z.number(),
        planned: z.number(),
      }),
      title: z.string(),
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
      experience_level: z.string(),
    })),
    quarter: z.object({
      end: z.string(),
      label: z.string(),
      start: z.string(),
    }),
    renewals: z.object({
      arr: z.number(),
      count: z.number(),
      items: z.array(z.object({
        arr: z.number(),
        name: z.string(),
        assignee_id: z.string(),
        customer_id: z.string(),
        execution_id: z.string().nullable(),
        health_score: z.number().nullable(),
        renewal_date: z.string(),
        assignee_name: z.string(),
        decision_date: z.string(),
        renewal_stage: z.string(),
        days_until_decision: z.number(),
      })),
    }),
  }),
};

export const get_workflow_definition = {
  args: z.object({
    version: z.number().optional(),
    workflow_key: z.string(),
  }),
  result: z.object({
    key: z.string(),
    name: z.string(),
    type: z.string(),
    scope: z.string(),
    steps: z.array(z.object({
      key: z.string(),
      title: z.string(),
    })),
    enabled: z.boolean(),
    trigger: z.object({
      kind: z.string(),
      every: z.string().optional(),
      plans: z.array(z.string()).optional(),
    }),
    version: z.number(),
    previous: z.string().nullable(),
    versions: z.array(z.object({
      scope: z.string(),
      version: z.number(),
      created_at: z.string(),
      created_by: z.string().nullable(),
      change_note: z.string(),
    })),
    base_score: z.number(),
    definition: JsonObject,
    step_count: z.number(),
    updated_at: z.string(),
    description: z.string().nullable(),
    shown_version: z.number(),
  }),
};

export const ingest_apply_batch = {
  args: z.object({
    events: JsonValue,
    org_id: z.string(),
    webhook_id: z.string(),
  }),
  result: z.object({
    events: z.number(),
    applied: z.object({
      contracts: z.number(),
      customers: z.object({
        updated: z.number(),
        inserted: z.number(),
      }),
      arr_changes: z.number(),
      stakeholders: z.number(),
      usage_snapshots: z.number(),
      engagement_events: z.number(),
    }),
    replayed: z.boolean(),
    webhook_id: z.string(),
    received_at: z.string().nullable(),
  }),
};

export const ingest_webhook_secrets = {
  args: z.object({
    org: z.string(),
  }),
  result: z.object({
    org_id: z.string(),
    secrets: z.array(z.string()),
  }),
};

export const list_admin_audit = {
  args: z.object({
    cursor: z.string().optional(),
    entity: z.string().optional(),
    page_size: z.number().optional(),
  }),
  result: z.object({
    items: z.array(z.object({
      at: z.string(),
      id: z.number(),
      actor: z.object({
        id: z.string(),
        full_name: z.string(),
      }),
      after: JsonObject,
      action: z.string(),
      before: JsonObject.nullable(),
      entity: z.string(),
      entity_id: z.string(),
    })),
    next_cursor: z.string().nullable(),
  }),
};

export const list_people = {
  args: z.object({}),
  result: z.array(z.object({
    id: z.string(),
    role: z.string(),
    email: z.string(),
    title: z.string(),
    active: z.boolean(),
    status: z.string(),
    full_name: z.string(),
    created_at: z.string(),
    invited_at: z.string().nullable(),
    manager_id: z.string().nullable(),
    open_tasks: z.number(),
    manager_name: z.string().nullable(),
    deactivated_at: z.string().nullable(),
    open_workflows: z.number(),
    last_sign_in_at: z.string().nullable(),
    experience_level: z.string(),
  })),
};

export const list_team_members = {
  args: z.object({}),
  result: z.array(z.object({
    id: z.string(),
    role: z.string(),
    email: z.string(),
    title: z.string(),
    full_name: z.string(),
    manager_id: z.string().nullable(),
    open_workflows: z.number(),
    experience_level: z.string(),
  })),
};

export const list_webhook_secrets = {
  args: z.object({}),
  result: z.array(z.object({
    id: z.string(),
    label: z.string(),
    active: z.boolean(),
    created_at: z.string(),
    expires_at: z.string().nullable(),
    secret_prefix: z.string(),
  })),
};

export const list_workflow_definitions = {
  args: z.object({}),
  result: z.array(z.object({
    key: z.string(),
    name: z.string(),
    type: z.string(),
    scope: z.string(),
    steps: z.array(z.object({
      key: z.string(),
      title: z.string(),
    })),
    enabled: z.boolean(),
    trigger: z.object({
      kind: z.string(),
      stage: z.string().optional(),
      min: z.number().optional(),
      field: z.string().optional(),
      every: z.string().optional(),
      plans: z.array(z.string()).optional(),
    }),
    version: z.number(),
    base_score: z.number(),
    step_count: z.number(),
    updated_at: z.string(),
    description: z.string().nullable(),
  })),
};

export const record_webhook_delivery = {
  args: z.object({
    event_count: z.number().optional(),
    message: z.string().optional(),
    org_id: z.string(),
    outcome: z.string(),
    status: z.number(),
    webhook_id: z.string(),
  }),
  result: z.null(),
};

export const revoke_webhook_secret = {
  args: z.object({
    grace_period_minutes: z.number().optional(),
    secret_id: z.string(),
  }),
  result: z.object({
    id: z.string(),
    label: z.string(),
    active: z.boolean(),
    created_at: z.string(),
    expires_at: z.string().nullable(),
    secret_prefix: z.string(),
  }),
};

export const rotate_webhook_secret = {
  args: z.object({
    overlap_hours: z.number().optional(),
    secret_id: z.string(),
  }),
  result: z.object({
    secret: z.object({
      id: z.string(),
      label: z.string(),
      active: z.boolean(),
      secret: z.string(),
      created_at: z.string(),
      expires_at: z.string().nullable(),
      secret_prefix: z.string(),
    }),
    previous: z.object({
      id: z.string(),
      label: z.string(),
      active: z.boolean(),
      created_at: z.string(),
      expires_at: z.string().nullable(),
      secret_prefix: z.string(),
    }),
  }),
};

export const save_workflow_definition = {
  args: z.object({
    base_version: z.number(),
    definition: JsonValue,
    workflow_key: z.string(),
  }),
  result: z.object({
    key: z.string(),
    name: z.string(),
    type: z.string(),
    scope: z.string(),
    steps: z.array(z.object({
      key: z.string(),
      title: z.string(),
    })),
    enabled: z.boolean(),
    trigger: z.object({
      kind: z.string(),
      every: z.string(),
      plans: z.array(z.string()),
    }),
    version: z.number(),
    previous: z.object({
      scope: z.string(),
      version: z.number(),
      definition: JsonObject,
    }),
    versions: z.array(z.object({
      scope: z.string(),
      version: z.number(),
      created_at: z.string(),
      created_by: z.string().nullable(),
      change_note: z.string(),
    })),
    base_score: z.number(),
    definition: JsonObject,
    step_count: z.number(),
    updated_at: z.string(),
    description: z.string().nullable(),
    shown_version: z.number(),
  }),
};

export const set_workflow_enabled = {
  args: z.object({
    enabled: z.boolean(),
    workflow_key: z.string(),
  }),
  result: z.object({
    key: z.string(),
    name: z.string(),
    type: z.string(),
    scope: z.string(),
    steps: z.array(z.object({
      key: z.string(),
      title: z.string(),
    })),
    enabled: z.boolean(),
    trigger: z.object({
      kind: z.string(),
      every: z.string(),
      plans: z.array(z.string()),
    }),
    version: z.number(),
    base_score: z.number(),
    step_count: z.number(),
    updated_at: z.string(),
    description: z.string().nullable(),
  }),
};

export const update_organisation_settings = {
  args: z.object({
    changes: JsonValue,
  }),
  result: z.object({
    llm: JsonObject,
    brief: JsonObject,
    email: z.object({
      require_approval: z.boolean(),
      allow_self_approval: z.boolean(),
    }),
    snooze: z.object({
      max_days: z.number(),
      min_days: z.number(),
      default_days: z.number(),
    }),
    time_zone: z.string(),
    thresholds: z.object({
      risk_score_trigger: z.number(),
      opportunity_score_trigger: z.number(),
      renewal_overdue_cutoff_days: z.number(),
    }),
    updated_at: z.string(),
  }),
};

export const update_person = {
  args: z.object({
    changes: JsonValue,
    profile_id: z.string(),
  }),
  result: z.object({
    person: z.object({
      id: z.string(),
      role: z.string(),
      email: z.string(),
      title: z.string(),
      active: z.boolean(),
      full_name: z.string(),
      created_at: z.string(),
      manager_id: z.string().nullable(),
      open_tasks: z.number(),
      manager_name: z.string().nullable(),
      deactivated_at: z.string().nullable(),
      open_workflows: z.number(),
      experience_level: z.string(),
    }),
    open_work: z.object({
      tasks: z.array(z.object({
        id: z.string(),
        title: z.string(),
        status: z.string(),
        customer: z.object({
          id: z.string(),
          name: z.string(),
        }),
        due_date: z.string().nullable(),
        execution_id: z.string(),
      })),
      executions: z.array(z.object({
        id: z.string(),
        status: z.string(),
        customer: z.object({
          id: z.string(),
          name: z.string(),
        }),
        workflow_key: z.string(),
        workflow_name: z.string(),
      })),
    }),
  }),
};
