// The Edge Functions' requests, responses and server-sent events. The functions validate
// their bodies with these schemas and the web app builds its bodies with the same ones.
// A request body is strict: a key the function does not take is a 422 naming it, never
// dropped in silence (a misspelt `idempotency_key` would otherwise run an action without
// one; docs/api-contract.md "Edge Functions").
import { z } from 'zod';
import { JsonObject } from './json.ts';
import { create_invited_person, EXPERIENCE_LEVELS, PendingInvitation, PERSON_ROLES } from './admin.ts';
import { execute_action } from './actions.ts';
import { ContractExtraction } from './revenue.ts';
import { complete_chat_thread, post_chat_message } from './chat.ts';
import { ChatMessage, ToolCall } from './shapes.ts';
import { isBlankText } from '../text.ts';
import { displayable } from './displayable.ts';

// z.guid(): any 8-4-4-4-12 hex id (z.uuid() would also demand an RFC variant nibble).
const id = (name: string) => z.guid({ message: `${name} must be a UUID` });

/**
 * A key that makes a request apply once (an idempotency key, a client message id): 1 to 200
 * characters, and a key of a tab or a zero-width space is as blank as one of spaces, as the
 * database's app.check_request_key says. Used by the functions' bodies and the MCP tools.
 */
export const requestKey = (name: string) => z
  .string({ message: `${name} must be text` })
  .min(1, { message: `${name} must not be empty` })
  .max(200, { message: `${name} is longer than 200 characters` })
  .refine((s) => !isBlankText(s), { message: `${name} must not be only whitespace` });

/** POST /functions/v1/chat */
export const ChatRequestBody = z.object({
  thread_id: id('thread_id'),
  content: displayable(z
    .string({ message: 'content must be text' })
    .max(20_000, { message: 'content is longer than 20000 characters' })
    .refine((s) => !isBlankText(s), { message: 'content must not be empty' }), { multiLine: true, name: 'content' }),
  client_message_id: requestKey('client_message_id'),
}).strict();
export type ChatRequestBody = z.infer<typeof ChatRequestBody>;

/** POST /functions/v1/complete-thread */
export const CompleteThreadRequestBody = z.object({ thread_id: id('thread_id') }).strict();
export type CompleteThreadRequestBody = z.infer<typeof CompleteThreadRequestBody>;

/**
 * POST /functions/v1/execute-action. Semantics and limits (snooze 1–30 days, skip reasons,
 * meeting durations, ...) are the database's: they are organisation-configurable, so
 * execute_action checks them and answers 400 (22023).
 */
export const ExecuteActionBody = z.object({
  action_key: z
    .string({ message: 'action_key must be text' })
    .regex(/^[a-z0-9]+(_[a-z0-9]+)*$/, { message: 'action_key must be a saved action key such as snooze' }),
  execution_id: id('execution_id'),
  params: z.record(z.string(), z.unknown(), { message: 'params must be an object' }).default({}),
  // A key of a tab or a zero-width space is refused here (422), never a key nobody can
  // tell from another.
  idempotency_key: requestKey('idempotency_key').nullish(),
}).strict();
export type ExecuteActionBody = z.infer<typeof ExecuteActionBody>;

/** The execute-action answer: the execute_action result with its side effects' state. */
export const ExecuteActionResponse = execute_action.result;
export type ExecuteActionResponse = z.infer<typeof ExecuteActionResponse>;

/** The complete-thread answer: complete_chat_thread's, plus the summary it stored. */
export const CompleteThreadResponse = complete_chat_thread.result.extend({
  summary_artifact_id: z.string().nullable(),
  summary_error: z.string().nullable().optional(),
});
export type CompleteThreadResponse = z.infer<typeof CompleteThreadResponse>;

/** The chat function's JSON answer (without `Accept: text/event-stream`). */
export const ChatResponse = z.object({
  user_message: ChatMessage,
  assistant_message: ChatMessage.nullable(),
  replayed: z.boolean().optional(),
  tool_calls: z.array(ToolCall).optional(),
});
export type ChatResponse = z.infer<typeof ChatResponse>;

/** A passage of the customer's history the answer cites. */
export const Citation = z.object({
  n: z.number(),
  source_kind: z.string(),
  /** An engagement's type (call, support_ticket…), else null; absent on citations stored before it was carried. */
  source_subtype: z.string().nullable().optional(),
  source_id: z.string(),
  title: z.string(),
  occurred_at: z.string(),
  customer_id: z.string().nullable().optional(),
});
export type Citation = z.infer<typeof Citation>;

/** The engagement types whose words are not their key's ("support_ticket" is "Support ticket" by the key's own words). */
const ENGAGEMENT_LABELS: Readonly<Record<string, string>> = { nps: 'NPS', qbr: 'QBR' };
/** An engagement (note, call, meeting, support ticket…) in words, as the timeline names it: "Support ticket", "NPS". */
export function engagementLabel(subtype: string | null | undefined): string {
  if (!subtype) return 'Activity';
  const spaced = subtype.replace(/[_-]+/g, ' ').trim();
  return ENGAGEMENT_LABELS[subtype] ?? spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** The other kinds of history source in words. */
const HISTORY_KIND_LABELS: Readonly<Record<string, string>> = {
  email: 'Email sent',
  artifact: 'Approved document',
  thread_summary: 'Chat summary',
  contract: 'Contract',
};
/**
 * A history passage's source in words — the timeline, the history search, the chat's footnotes
 * and the built-in model's answers say it alike: an engagement by its type ("Support ticket"),
 * others by their kind ("Email sent").
 */
export function historySourceLabel(kind: string, subtype?: string | null): string {
  if (kind === 'engagement') return engagementLabel(subtype);
  return HISTORY_KIND_LABELS[kind] ?? kind.replace(/_/g, ' ');
}

/**
 * The `error` code that ends a replayed send whose answer is still being written: not a
 * failure — the client keeps the answer pending and reads it from the stored thread later.
 */
export const ANSWER_IN_PROGRESS = 'answer_in_progress';
/** The statuses of an assistant answer not finished yet (finish_chat_message sets complete or failed). */
export const UNFINISHED_ANSWER_STATUSES: readonly string[] = ['pending', 'streaming'];

/** The chat stream's events, by name: `event: <name>` and `data: <json>`. */
export const ChatEvents = {
  /** First: both stored messages (the assistant's pending). */
  message: z.object({
    user_message: post_chat_message.result.shape.user_message,
    assistant_message: post_chat_message.result.shape.assistant_message,
    replayed: z.boolean(),
  }),
  /** A piece of the answer as the model writes it. */
  delta: z.object({ text: z.string() }),
  tool_call: ToolCall.omit({ error: true }),
  /** The passages the answer cites, before `done`. */
  citations: z.object({ citations: z.array(Citation) }),
  /** Last, on success: the finished assistant message. */
  done: ChatMessage,
  /** Last, on failure: a readable error; the assistant message is stored `failed`. */
  error: z.object({ code: z.string(), message: z.string().nullable(), assistant_message: ChatMessage.optional() }),
} as const;
export type ChatEventName = keyof typeof ChatEvents;
export type ChatEvent = { [K in ChatEventName]: { event: K; data: z.infer<(typeof ChatEvents)[K]> } }[ChatEventName];

/** POST /functions/v1/extract-contract */
export const ExtractContractRequestBody = z.object({
  customer_id: id('customer_id'),
  object_path: z
    .string({ message: 'object_path must be text' })
    .min(1, { message: 'object_path must not be empty' })
    .max(1024, { message: 'object_path is longer than 1024 characters' }),
}).strict();
export type ExtractContractRequestBody = z.infer<typeof ExtractContractRequestBody>;

/** The extract-contract answer: the stored extraction. */
export const ExtractContractResponse = ContractExtraction.extend({ extraction_id: z.string() });
export type ExtractContractResponse = z.infer<typeof ExtractContractResponse>;

/**
 * POST /functions/v1/invite-person (an admin's token). The web app's invite form validates
 * with it too; the database checks the same again (role and level are its enums, the
 * manager must be one of the organisation's).
 */
export const InvitePersonBody = z.object({
  email: z
    .string({ message: 'email must be text' })
    .trim()
    .toLowerCase()
    .max(255, { message: 'email is longer than 255 characters' })
    .regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, { message: 'email must be an email address' }),
  full_name: displayable(z
    .string({ message: 'full_name must be text' })
    .trim()
    .min(1, { message: 'full_name is required' })
    .max(200, { message: 'full_name is longer than 200 characters' })
    .refine((name) => !isBlankText(name), { message: 'full_name is required' }), { name: 'full_name' }),
  role: z.enum(PERSON_ROLES, { message: 'role must be one of admin, manager, csm, viewer' }),
  manager_id: id('manager_id').nullish(),
  title: displayable(z.string({ message: 'title must be text' }).trim().max(120, { message: 'title is longer than 120 characters' }), { name: 'title' }).nullish(),
  experience_level: z.enum(EXPERIENCE_LEVELS, { message: 'experience_level must be one of junior, mid, senior, expert' }).nullish(),
  /** The same key with the same invitation again answers the person it made, and mails nothing. */
  idempotency_key: requestKey('idempotency_key').nullish(),
}).strict();
export type InvitePersonBody = z.infer<typeof InvitePersonBody>;

/** The invite-person answer (201): the new person as create_invited_person returns them. */
export const InvitePersonResponse = z.object({ person: create_invited_person.result, replayed: z.boolean().optional() });
export type InvitePersonResponse = z.infer<typeof InvitePersonResponse>;

/** POST /functions/v1/resend-invitation (an admin's token): a pending invitation of People, by its id. */
export const ResendInvitationBody = z.object({ invitation_id: id('invitation_id') }).strict();
export type ResendInvitationBody = z.infer<typeof ResendInvitationBody>;

/** The resend-invitation answer (200): the invitation sent again, the same for every one. */
export const ResendInvitationResponse = z.object({ invitation: PendingInvitation });
export type ResendInvitationResponse = z.infer<typeof ResendInvitationResponse>;

/** POST /functions/v1/daily-brief: `{}` (the scheduler, service role) or one person's brief now. */
export const DailyBriefRequestBody = z.object({ profile_id: id('profile_id').optional() }).strict();
export type DailyBriefRequestBody = z.infer<typeof DailyBriefRequestBody>;

/** The daily-brief answer: briefs stored (facts) and written (prose). */
export const DailyBriefResponse = z.object({ stored: z.number(), written: z.number() });
