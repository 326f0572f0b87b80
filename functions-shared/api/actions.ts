import { z } from 'zod';
import { JsonObject, JsonValue } from './json.ts';

export const claim_due_outbox_messages = {
  args: z.object({
    lease_seconds: z.number().optional(),
    max_messages: z.number().optional(),
  }),
  result: z.array(z.object({
    cc: z.array(JsonObject),
    id: z.string(),
    to: z.array(z.string()),
    from: z.string().nullable(),
    status: z.string(),
    sent_at: z.string().nullable(),
    subject: z.string(),
    attempts: z.number(),
    body_html: z.string().nullable(),
    body_text: z.string(),
    last_error: z.string().nullable(),
    artifact_id: z.string().nullable(),
    lease_token: z.string(),
    next_attempt_at: z.string().nullable(),
    lease_expires_at: z.string().nullable(),
    action_execution_id: z.string().nullable(),
    provider_message_id: z.string().nullable(),
  })),
};

export const claim_outbox_message = {
  args: z.object({
    lease_seconds: z.number().optional(),
    outbox_id: z.string(),
  }),
  result: z.object({
    outbox: z.object({
      cc: z.array(JsonObject),
      id: z.string(),
      to: z.array(z.string()),
      from: z.string(),
      status: z.string(),
      sent_at: z.string().nullable(),
      subject: z.string(),
      attempts: z.number(),
      body_html: z.string().nullable(),
      body_text: z.string(),
      last_error: z.string().nullable(),
      artifact_id: z.string(),
      lease_token: z.string(),
      next_attempt_at: z.string().nullable(),
      lease_expires_at: z.string().nullable(),
      action_execution_id: z.string(),
      provider_message_id: z.string().nullable(),
    }),
    claimed: z.boolean(),
    side_effects: z.array(z.object({
      type: z.string(),
      error: z.string().nullable(),
      status: z.string(),
      attempts: z.number(),
      outbox_id: z.string(),
      updated_at: z.string(),
      next_attempt_at: z.string().nullable(),
      provider_message_id: z.string().nullable(),
    })),
  }),
};

export const complete_outbox_message = {
  args: z.object({
    delivery_status: z.string(),
    error_message: z.string().optional(),
    lease_token: z.string(),
    outbox_id: z.string(),
    provider_message_id: z.string().optional(),
  }),
  result: z.object({
    outbox: z.object({
      id: z.string(),
      status: z.string(),
      sent_at: z.string().nullable(),
      attempts: z.number(),
      last_error: z.string().nullable(),
      artifact_id: z.string(),
      next_attempt_at: z.string().nullable(),
      lease_expires_at: z.string().nullable(),
      action_execution_id: z.string(),
      provider_message_id: z.string().nullable(),
    }),
    side_effects: z.array(z.object({
      type: z.string(),
      error: z.string(),
      status: z.string(),
      attempts: z.number(),
      outbox_id: z.string(),
      updated_at: z.string(),
      next_attempt_at: z.string().nullable(),
      provider_message_id: z.string().nullable(),
    })),
  }),
};

export const decide_proposal = {
  args: z.object({
    approve: z.boolean(),
    idempotency_key: z.string().optional(),
    params: JsonValue.optional(),
    proposal_id: z.string(),
  }),
  result: z.object({
    action: JsonValue,
    proposal: z.object({
      id: z.string(),
      action: JsonValue,
      params: JsonObject,
      source: z.object({
        ref: z.string().nullable(),
        kind: z.string(),
        thread_id: z.string(),
        message_id: z.string(),
      }),
      status: z.string(),
      customer: z.object({
        id: z.string(),
        name: z.string(),
      }),
      rationale: z.string(),
      action_key: z.string(),
      created_at: z.string(),
      decided_at: z.string().nullable(),
      decided_by: z.string().nullable(),
      expires_at: z.string().nullable(),
      action_name: z.string(),
      execution_id: z.string(),
      proposed_for: z.string(),
      workflow_name: z.string(),
      decided_params: JsonValue,
      action_execution_id: z.string().nullable(),
    }),
    replayed: z.boolean(),
  }),
};

export const execute_action = {
  args: z.object({
    action_key: z.string(),
    execution_id: z.string(),
    idempotency_key: z.string().optional(),
    params: JsonValue.optional(),
  }),
  result: z.object({
    result: JsonObject,
    success: z.boolean(),
    replayed: z.boolean(),
    execution: z.object({
      id: z.string(),
      status: z.string(),
      progress: z.number(),
      started_at: z.string().nullable(),
      assignee_id: z.string(),
      total_steps: z.number(),
      completed_at: z.string().nullable(),
      current_step: z.object({
        key: z.string(),
        index: z.number(),
        title: z.string(),
      }),
      snoozed_until: z.string().nullable(),
      priority_score: z.number(),
      completed_steps: z.number(),
    }),
    action_key: z.string(),
    side_effects: z.array(z.object({
      type: z.string(),
      error: z.string().nullable(),
      status: z.string(),
      attempts: z.number(),
      outbox_id: z.string().optional(),
      updated_at: z.string(),
      recipient_id: z.string().nullable().optional(),
      meeting_id: z.string().optional(),
    })),
    action_execution_id: z.string(),
  }),
};

export const list_notifications = {
  args: z.object({
    page_size: z.number().optional(),
    unread_only: z.boolean().optional(),
  }),
  result: z.object({
    items: z.array(z.object({
      id: z.string(),
      body: z.string(),
      data: JsonObject,
      title: z.string(),
      read_at: z.string().nullable(),
      created_at: z.string(),
      notification_type: z.string(),
    })),
    unread_count: z.number(),
  }),
};

export const list_outbox_messages = {
  args: z.object({
    cursor: z.string().optional(),
    page_size: z.number().optional(),
  }),
  result: z.object({
    items: z.array(z.object({
      cc: z.array(JsonObject),
      id: z.string(),
      to: z.array(z.string()),
      status: z.string(),
      sent_at: z.string().nullable(),
      subject: z.string(),
      attempts: z.number(),
      customer: z.object({
        id: z.string(),
        name: z.string(),
      }).nullable(),
      body_html: z.string().nullable(),
      body_text: z.string(),
      created_at: z.string(),
      last_error: z.string().nullable(),
      updated_at: z.string(),
      artifact_id: z.string().nullable(),
      execution_id: z.string().nullable(),
      requested_by: z.object({
        id: z.string(),
        full_name: z.string(),
      }).nullable(),
      provider_message_id: z.string().nullable(),
    })),
    next_cursor: z.string().nullable(),
  }),
};

export const list_proposals = {
  args: z.object({
    execution_id: z.string().optional(),
    status: z.string().optional(),
  }),
  result: z.array(z.object({
    id: z.string(),
    action: JsonValue,
    params: JsonObject,
    source: z.object({
      ref: z.string().nullable(),
      kind: z.string(),
      thread_id: z.string(),
      message_id: z.string(),
    }),
    status: z.string(),
    customer: z.object({
      id: z.string(),
      name: z.string(),
    }),
    rationale: z.string(),
    action_key: z.string(),
    created_at: z.string(),
    decided_at: z.string().nullable(),
    decided_by: z.string().nullable(),
    expires_at: z.string().nullable(),
    action_name: z.string(),
    execution_id: z.string(),
    proposed_for: z.string(),
    workflow_name: z.string(),
    decided_params: JsonValue,
    action_execution_id: z.string().nullable(),
  })),
};

export const list_saved_actions = {
  args: z.object({}),
  result: z.array(z.object({
    key: z.string(),
    name: z.string(),
    type: z.string(),
    scope: z.string(),
    config: JsonObject,
    updated_at: z.string(),
    core_config: JsonValue,
    description: z.string().nullable(),
  })),
};

export const log_refused_action = {
  args: z.object({
    action_key: z.string(),
    error_code: z.string(),
    error_message: z.string(),
    executed_by: z.string(),
    execution_id: z.string(),
    idempotency_key: z.string(),
    params: JsonValue,
  }),
  result: z.string(),
};

export const mark_notifications_read = {
  args: z.object({
    notification_ids: z.array(z.string()).optional(),
  }),
  result: z.object({
    marked: z.number(),
  }),
};

export const propose_action = {
  args: z.object({
    action_key: z.string(),
    author_id: z.string().optional(),
    execution_id: z.string().optional(),
    message_id: z.string().optional(),
    params: JsonValue.optional(),
    rationale: z.string(),
    source: z.string().optional(),
    source_ref: z.string().optional(),
    thread_id: z.string().optional(),
  }),
  result: z.object({
    id: z.string(),
    action: JsonValue,
    params: JsonObject,
    source: z.object({
      ref: z.string().nullable(),
      kind: z.string(),
      thread_id: z.string(),
      message_id: z.string(),
    }),
    status: z.string(),
    customer: z.object({
      id: z.string(),
      name: z.string(),
    }),
    duplicate: z.boolean(),
    rationale: z.string(),
    action_key: z.string(),
    created_at: z.string(),
    decided_at: z.string().nullable(),
    decided_by: z.string().nullable(),
    expires_at: z.string().nullable(),
    action_name: z.string(),
    execution_id: z.string(),
    proposed_for: z.string(),
    workflow_name: z.string(),
    decided_params: JsonValue,
    action_execution_id: z.string().nullable(),
  }),
};

export const record_action_side_effect = {
  args: z.object({
    action_execution_id: z.string(),
    details: JsonValue.optional(),
    effect_type: z.string(),
    error_message: z.string().optional(),
    status: z.string(),
  }),
  result: z.array(z.object({
    type: z.string(),
    error: z.string().nullable(),
    status: z.string(),
    attempts: z.number(),
    updated_at: z.string(),
  })),
};

export const retry_outbox_message = {
  args: z.object({
    outbox_id: z.string(),
  }),
  result: z.object({
    id: z.string(),
    status: z.string(),
    attempts: z.number(),
    last_error: z.string().nullable(),
    artifact_id: z.string(),
    execution_id: z.string(),
    next_attempt_at: z.string().nullable(),
  }),
};

export const save_saved_action = {
  args: z.object({
    action_key: z.string(),
    action_type: z.string().optional(),
    config: JsonValue,
    description: z.string().optional(),
    name: z.string().optional(),
  }),
  result: z.object({
    key: z.string(),
    name: z.string(),
    type: z.string(),
    scope: z.string(),
    config: JsonObject,
    updated_at: z.string(),
    core_config: z.object({
      max_days: z.number(),
      min_days: z.number(),
      default_days: z.number(),
      reason_required: z.boolean(),
    }),
    description: z.string().nullable(),
  }),
};
