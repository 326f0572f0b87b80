// The `execute-action` Edge Function: validates the body (zod, 422), applies the action
// as the caller through `execute_action` (RLS and every rule of the database apply),
// then runs the side effects outside the database:
//   send_email       -> the mail transport (SMTP or the local sink),
//   calendar_invite  -> the iCalendar invite, stored with the meeting,
//   notify_manager   -> already written in the action's transaction; reported as is.
// Each outcome is recorded with its status and error (service role, one named RPC). A
// failing side effect never undoes the state change: the answer is still 200 with that
// side effect `failed`, and calling again with the same idempotency key replays the
// action (nothing applied twice) and retries what is not done yet.
import { answer, callerClient, envFrom, fromDatabaseError, HttpError, jsonResponse, parseJsonBody, serviceClient, type FunctionEnv } from '../http.ts';
import { rpc } from '../chat/rpc.ts';
import { buildInvite } from './ical.ts';
import { MailError, mailTransportFromEnv, type MailTransport } from './mail.ts';
import { ExecuteActionBody, type ExecuteActionResult, type SideEffect } from './schema.ts';

export interface ExecuteActionDeps {
  env: FunctionEnv;
  mail: MailTransport;
  now?: () => Date;
}

export function executeActionDepsFromEnv(source: Record<string, string | undefined>): ExecuteActionDeps {
  return { env: envFrom(source), mail: mailTransportFromEnv(source) };
}

const DONE = new Set(['sent', 'delivered_to_sink', 'delivered', 'stored', 'skipped']);

export function handleExecuteAction(req: Request, deps: ExecuteActionDeps): Promise<Response> {
  return answer(req, async () => {
    if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'Execute an action with POST.');
    const db = callerClient(req, deps.env);
    const body = await parseJsonBody(req, ExecuteActionBody);

    const { data, error } = await db.rpc('execute_action', {
      action_key: body.action_key,
      execution_id: body.execution_id,
      params: body.params,
      idempotency_key: body.idempotency_key ?? null,
    });
    if (error) {
      const refused = fromDatabaseError(error);
      // Only refusals the database made after accepting the caller's token are logged.
      if (['22023', 'PT409', '42501'].includes(refused.code)) await logRefusal(req, deps, body, refused);
      throw refused;
    }
    const outcome = data as ExecuteActionResult;

    let effects: SideEffect[] = outcome.side_effects ?? [];
    const pending = effects.filter((e) => !DONE.has(e.status));
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
  return rpc<SideEffect[]>(service, 'record_action_side_effect', {
    action_execution_id: actionExecutionId,
    effect_type: type,
    status,
    error_message: error,
    details,
  });
}

async function runSideEffect(
  effect: SideEffect,
  outcome: ExecuteActionResult,
  deps: ExecuteActionDeps,
  service: Service,
): Promise<SideEffect[]> {
  const r = outcome.result as Record<string, unknown>;
  switch (effect.type) {
    case 'send_email': {
      try {
        const delivery = await deps.mail.send({
          from: (typeof r.from === 'string' && r.from) || deps.env.SMTP_FROM || 'renubu@localhost',
          to: (r.to as string[]) ?? [],
          cc: (r.cc as string[]) ?? [],
          subject: String(r.subject ?? ''),
          text: String(r.body_text ?? ''),
          html: (r.body_html as string | null) ?? null,
          messageId: `${String(r.outbox_id)}@renubu`,
        });
        return await record(service, outcome.action_execution_id, 'send_email', delivery.status, null, {
          transport: delivery.transport,
          provider_message_id: delivery.providerMessageId,
        });
      } catch (error) {
        const message = error instanceof MailError ? error.message : 'Sending the email failed.';
        return await record(service, outcome.action_execution_id, 'send_email', 'failed', message, {
          transport: deps.mail.name,
        });
      }
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

/** The caller's user id from their (gateway-verified) access token; null if unreadable. */
function callerId(req: Request): string | null {
  const token = req.headers.get('Authorization')?.replace(/^Bearer\s+/i, '') ?? '';
  try {
    const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')));
    return typeof payload.sub === 'string' ? payload.sub : null;
  } catch {
    return null;
  }
}

/** Every call is logged: a refused one through the service role (the refusing transaction rolled back). */
async function logRefusal(req: Request, deps: ExecuteActionDeps, body: ExecuteActionBody, refused: HttpError): Promise<void> {
  const executedBy = callerId(req);
  if (!executedBy) return;
  const { error } = await serviceClient(deps.env).rpc('log_refused_action', {
    executed_by: executedBy,
    action_key: body.action_key,
    execution_id: body.execution_id,
    params: body.params,
    idempotency_key: body.idempotency_key ?? null,
    error_code: refused.code,
    error_message: refused.message,
  });
  if (error) console.warn('execute-action: the refusal could not be logged', error.message);
}
