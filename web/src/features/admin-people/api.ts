// The Admin pages' calls (people, invitations, integrations, audit) through the typed RPC
// helper (lib/api.ts typedRpc), their shapes the API module's (functions-shared/api/admin.ts);
// invite-person through the workspace's Edge Function call (api.invoke).
import { typedRpc, type Api } from '../../lib/api.ts';
import type { InvitePersonBody, InvitePersonResponse, ResendInvitationResponse, RpcResult } from '../../../../functions-shared/api/index.ts';

/** A person as the People page lists them (list_people). */
export type Person = RpcResult<'list_people'>[number];
export type Role = Person['role'];
export type Level = NonNullable<Person['experience_level']>;
/** A person as a change answers (update_person): without the sign-in status. */
export type ChangedPerson = RpcResult<'update_person'>['person'];
/** A person as invite-person answers (create_invited_person). */
export type InvitedPerson = InvitePersonResponse['person'];
/** A deactivated person's open work, to hand on. */
export type OpenWork = RpcResult<'update_person'>['open_work'];
export type PersonChanges = Partial<Pick<Person, 'role' | 'manager_id' | 'title' | 'experience_level' | 'active'>>;

export type IntegrationsOverview = RpcResult<'get_integrations_overview'>;
export type WebhookSecret = IntegrationsOverview['secrets'][number];
export type Delivery = IntegrationsOverview['deliveries'][number];
export type AuditPage = RpcResult<'list_admin_audit'>;
export type AuditEntry = AuditPage['items'][number];

export function adminApi(api: Api) {
  const rpc = typedRpc(api.client);

  return {
    listPeople: () => rpc('list_people'),
    updatePerson: (profileId: string, changes: PersonChanges) => rpc('update_person', { profile_id: profileId, changes }),
    /** A deactivated person's open work again, after the deactivation that answered it. */
    personOpenWork: (profileId: string) => rpc('get_person_open_work', { profile_id: profileId }),
    invitePerson: (body: InvitePersonBody) => api.invoke<InvitePersonResponse>('invite-person', body),
    /** A pending invitation (a row of People whose status is invited), by its id there. */
    revokeInvitation: (invitationId: string) => rpc('revoke_invitation', { invitation_id: invitationId }),
    resendInvitation: (invitationId: string) =>
      api.invoke<ResendInvitationResponse>('resend-invitation', { invitation_id: invitationId }),
    reassignTask: (taskId: string, assigneeId: string, reason: string, idempotencyKey: string) =>
      rpc('act_on_task', { task_id: taskId, action: 'reassign', params: { assignee_id: assigneeId, reason }, idempotency_key: idempotencyKey }),
    reassignWorkflow: (executionId: string, assigneeId: string, reason: string, idempotencyKey: string) =>
      rpc('reassign_workflow', { execution_id: executionId, assignee_id: assigneeId, reason, idempotency_key: idempotencyKey }),

    /** Everything a person holds — their customers, open workflows and open tasks — to one colleague, in one request. */
    handOverWork: (profileId: string, assigneeId: string, reason: string, idempotencyKey: string) =>
      rpc('hand_over_work', { profile_id: profileId, assignee_id: assigneeId, reason, idempotency_key: idempotencyKey }),

    getIntegrations: () => rpc('get_integrations_overview'),
    createSecret: (label: string, idempotencyKey: string) => rpc('create_webhook_secret', { label, idempotency_key: idempotencyKey }),
    rotateSecret: (secretId: string, overlapHours: number, idempotencyKey: string) =>
      rpc('rotate_webhook_secret', { secret_id: secretId, overlap_hours: overlapHours, idempotency_key: idempotencyKey }),
    revokeSecret: (secretId: string) => rpc('revoke_webhook_secret', { secret_id: secretId }),

    listAudit: (cursor: string | null, entity: string | null) =>
      rpc('list_admin_audit', { page_size: 50, cursor, entity }),
  };
}

export type AdminApi = ReturnType<typeof adminApi>;

/** A secret's state in words: in use, ending at a time (rotation overlap), stopped (revoked or ended). */
export function secretState(secret: WebhookSecret, now = Date.now()): { label: string; tone: string } {
  // list_webhook_secrets says `active` only while it verifies (revoked or past its end date:
  // false); a rotated secret has an end date ahead.
  if (!secret.active || (secret.expires_at && Date.parse(secret.expires_at) <= now)) return { label: 'Stopped', tone: 'muted' };
  if (secret.expires_at) return { label: 'Ending', tone: 'warning' };
  return { label: 'In use', tone: 'success' };
}
