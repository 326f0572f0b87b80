// The body of the `execute-action` Edge Function. The web app imports it too, so the body
// the UI builds is validated by the same schema the function uses. Semantics and limits
// (snooze 1–30 days, skip reasons, meeting durations, ...) are the database's: they are
// organisation-configurable, so execute_action checks them and answers 400 (22023).
import { z } from 'zod';

export const ExecuteActionBody = z.object({
  action_key: z
    .string({ message: 'action_key must be text' })
    .regex(/^[a-z0-9]+(_[a-z0-9]+)*$/, { message: 'action_key must be a saved action key such as snooze' }),
  // z.guid(): any 8-4-4-4-12 hex id (z.uuid() would also demand an RFC variant nibble).
  execution_id: z.guid({ message: 'execution_id must be a UUID' }),
  params: z.record(z.string(), z.unknown(), { message: 'params must be an object' }).default({}),
  idempotency_key: z
    .string({ message: 'idempotency_key must be text' })
    .min(1, { message: 'idempotency_key must not be empty' })
    .max(200, { message: 'idempotency_key is longer than 200 characters' })
    .nullish(),
});
export type ExecuteActionBody = z.infer<typeof ExecuteActionBody>;

/** A side effect as recorded in the action log (`action_executions.side_effects`). */
export interface SideEffect {
  type: 'send_email' | 'calendar_invite' | 'notify_manager' | string;
  status: 'pending' | 'sent' | 'delivered_to_sink' | 'delivered' | 'stored' | 'failed' | 'skipped' | string;
  error: string | null;
  attempts: number;
  updated_at?: string;
  outbox_id?: string;
  meeting_id?: string;
  notification_id?: string;
  recipient_id?: string | null;
  transport?: string;
  provider_message_id?: string;
}

/** What `execute_action` returns (api.md), plus the side effects of the action log. */
export interface ExecuteActionResult {
  action_execution_id: string;
  action_key: string;
  success: boolean;
  result: Record<string, unknown>;
  execution: {
    id: string;
    status: string;
    snoozed_until: string | null;
    current_step: { key: string; title: string | null; index: number } | null;
    [key: string]: unknown;
  };
  side_effects: SideEffect[];
  replayed: boolean;
}
