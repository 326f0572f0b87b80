// The `execute-action` Edge Function: validates the body (zod, 422), applies the action
// as the caller through `execute_action` (RLS and every rule of the database apply),
// then runs the side effects outside the database:
//   send_email       -> claimed in the outbox, then the mail transport (outbox.ts): only
//                       the caller that holds the claim sends; a replay while it is in
//                       flight or after it is done answers the current state,
//   calendar_invite  -> the iCalendar invite, stored with the meeting,
//   notify_manager   -> already written in the action's transaction; reported as is.
// Each outcome is recorded with its status and error (service role, named RPCs). A
// failing side effect never undoes the state change: the answer is still 200 with that
// side effect `retrying` or `failed`, and the outbox drain (or a replay with the same
// idempotency key, once the retry is due) sends it again.
import { answer, callerClient, envFrom, fromDatabaseError, HttpError, jsonResponse, parseJsonBody, serviceClient, type FunctionEnv } from '../http.ts';
import { rpc } from '../api/rpc.ts';
import { callerIdOrNull } from '../caller.ts';
import { buildInvite } from './ical.ts';
import { mailSenderFromEnv, type MailTransport } from './mail.ts';
import { mailTransportFromEnv } from './transport.ts';
import { claimOutboxMessage, deliverClaimed, type ClaimedOutboxMessage } from './outbox.ts';
import { ExecuteActionBody, type ExecuteActionResponse } from '../api/functions.ts';
import type { SideEffect } from '../api/shapes.ts';

export interface ExecuteActionDeps {
  env: FunctionEnv;
  mail: MailTransport;
  now?: () => Date;
}

export function executeActionDepsFromEnv(source: Record<string, string | undefined>): ExecuteActionDeps {
  return { env: envFrom(source), mail: mailTransportFromEnv(source) };
}

// Cancelled: its draft's approval was withdrawn, or its workflow cancelled; nothing to deliver.
const DONE = new Set(['sent', 'delivered_to_sink', 'delivered', 'stored', 'skipped', 'cancelled']);
// An email that used up its attempts stays failed until someone sends it again (resend).
const EMAIL_DONE = new Set([...DONE, 'failed']);

export function handleExecuteAction(req: Request, deps: ExecuteActionDeps): Promise<Response> {
  return answer(req, async () => {
    if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'Execute an action with POST.');
    const db = callerClient(req, deps.env);
    const body = await parseJsonBody(req, ExecuteActionBody);

    let approvalOverridden = false;
    let outcome: ExecuteActionResponse;
    try {
      outcome = await rpc(db, 'execute_action', {
        action_key: body.action_key,
        execution_id: body.execution_id,
        params: body.params,
        idempotency_key: body.idempotency_key ?? null,
      }, {
        mapError: (error) => {
          approvalOverridden = error.details === 'approval_overridden';
          return fromDatabaseError(error);
        },
      });
    } catch (refused) {
      if (refused instanceof HttpError) {
        // Only refusals the database made after accepting the caller's token are logged.
        if (['22023', 'PT409', '42501'].includes(refused.code)) await logRefusal(req, deps, body, refused);
        // Asking to send an approved draft to other recipients (or with another subject)
        // withdraws its approval; the refusing transaction could not keep that.
        if (refused.code === 'PT409' && approvalOverridden) await withdrawApproval(req, deps, body);
      }
      throw refused;
    }

    let effects: SideEffect[] = outcome.side_effects ?? [];
    const pending = effects.filter((e) => !(e.type === 'send_email' ? EMAIL_DONE : DONE).has(e.status));
    if (pending.length > 0) {
      const service = serviceClient(deps.env);
      for (const effect of pending) {
        effects = await runSideEffect(effect, outcome, deps, service).catch(() => effects);
      }
    }
    return jsonResponse({ ...outcome, side_effects: effects });
  });
}

type Service = ReturnType<typeof serviceClient>;

async function record(
  service: Service,
  actionExecutionId: string,
  type: string,
  status: string,
  error: string | null,
  details: Record<string, unknown> = {},
): Promise<SideEffect[]> {
  return rpc(service, 'record_action_side_effect', {
    action_execution_id: actionExecutionId,
    effect_type: type,
    status,
    error_message: error,
    details,
  });
}

async function runSideEffect(
  effect: SideEffect,
  outcome: ExecuteActionResponse,
  deps: ExecuteActionDeps,
  service: Service,
): Promise<SideEffect[]> {
  const r = outcome.result as Record<string, unknown>;
  switch (effect.type) {
    case 'send_email': {
      if (!effect.outbox_id) return outcome.side_effects;
      const claim = await claimOutboxMessage(service, effect.outbox_id);
      if (!claim.claimed) return claim.side_effects ?? outcome.side_effects;
      const done = await deliverClaimed(service, deps.mail, claim.outbox as ClaimedOutboxMessage, mailSenderFromEnv(deps.env));
      return done.side_effects;
    }
    case 'calendar_invite': {
      try {
        const ics = buildInvite({
          uid: String(r.invite_uid ?? `${String(r.meeting_id)}@renubu`),
          title: String(r.title ?? 'Meeting'),
          start: new Date(String(r.scheduled_at)),
          durationMinutes: Number(r.duration_minutes ?? 30),
          attendees: (r.attendees as string[]) ?? [],
          organiserEmail: (r.organiser_email as string | null) ?? null,
          organiserName: (r.organiser_name as string | null) ?? null,
          description: (r.description as string | null) ?? null,
          now: deps.now?.(),
        });
        return await record(service, outcome.action_execution_id, 'calendar_invite', 'stored', null, { ics });
      } catch {
        return await record(service, outcome.action_execution_id, 'calendar_invite', 'failed', 'The calendar invite could not be written.');
      }
    }
    default:
      return outcome.side_effects;
  }
}

/** Every call is logged: a refused one through the service role (the refusing transaction rolled back). */
async function logRefusal(req: Request, deps: ExecuteActionDeps, body: ExecuteActionBody, refused: HttpError): Promise<void> {
  const executedBy = callerIdOrNull(req);
  if (!executedBy) return;
  await rpc(serviceClient(deps.env), 'log_refused_action', {
    executed_by: executedBy,
    action_key: body.action_key,
    execution_id: body.execution_id,
    params: body.params,
    idempotency_key: body.idempotency_key ?? null,
    error_code: refused.code,
    error_message: refused.message,
  }).catch((error: Error) => console.warn('execute-action: the refusal could not be logged', error.message));
}

async function withdrawApproval(req: Request, deps: ExecuteActionDeps, body: ExecuteActionBody): Promise<void> {
  const executedBy = callerIdOrNull(req);
  if (!executedBy) return;
  await rpc(serviceClient(deps.env), 'withdraw_overridden_approval', {
    executed_by: executedBy,
    execution_id: body.execution_id,
    params: body.params,
  }).catch((error: Error) => console.warn('execute-action: the approval could not be withdrawn', error.message));
}
