// The Admin pages' calls (people, invitations, integrations, audit), through the shared
// supabase client the way lib/api.ts calls RPCs; invite-person through fetch so its house
// error body becomes an ApiError.
import type { Api } from '../../lib/api.ts';
import { ApiError, fromFunctionResponse, fromPostgrestError } from '../../lib/errors.ts';
import type { InvitePersonBody } from '../../../../functions-shared/api/index.ts';

export type Role = 'admin' | 'manager' | 'csm' | 'viewer';
export type Level = 'junior' | 'mid' | 'senior' | 'expert';

export interface Person {
  id: string;
  full_name: string;
  email: string;
  role: Role;
  title: string | null;
  experience_level: Level | null;
  manager_id: string | null;
  manager_name: string | null;
  active: boolean;
  deactivated_at: string | null;
  status: 'active' | 'invited' | 'deactivated';
  invited_at: string | null;
  last_sign_in_at: string | null;
  open_workflows: number;
  open_tasks: number;
}

export interface OpenWork {
  executions: { id: string; status: string; workflow_name: string | null; customer: { id: string; name: string } }[];
  tasks: { id: string; title: string; status: string; due_date: string | null; customer: { id: string; name: string } }[];
}

export type PersonChanges = Partial<Pick<Person, 'role' | 'manager_id' | 'title' | 'experience_level' | 'active'>>;

export interface WebhookSecret {
  id: string;
  label: string;
  secret_prefix: string;
  active: boolean;
  expires_at: string | null;
  created_at: string;
}

export interface Delivery {
  id: number;
  webhook_id: string | null;
  received_at: string;
  status: number;
  outcome: 'applied' | 'replayed' | 'bad_signature' | 'stale_timestamp' | 'invalid_body' | 'rejected' | 'failed';
  event_count: number;
  message: string | null;
}

export interface IntegrationsOverview {
  ingest_path: string;
  org_slug: string;
  secrets: WebhookSecret[];
  deliveries: Delivery[];
}

export interface AuditEntry {
  id: number;
  at: string;
  entity: string;
  entity_id: string | null;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  actor: { id: string; full_name: string | null } | null;
}

export interface AuditPage { items: AuditEntry[]; next_cursor: string | null }

export function adminApi(api: Api, config: { supabaseUrl: string; supabaseAnonKey: string }) {
  async function rpc<T>(name: string, args?: Record<string, unknown>): Promise<T> {
    // These RPCs are newer than the generated Database type; the cast widens the name.
    const { data, error, status } = await (args === undefined
      ? api.client.rpc(name as never)
      : api.client.rpc(name as never, args as never));
    if (error) throw fromPostgrestError(error, status);
    return data as T;
  }

  return {
    listPeople: () => rpc<Person[]>('list_people'),
    updatePerson: (profileId: string, changes: PersonChanges) =>
      rpc<{ person: Person; open_work: OpenWork }>('update_person', { profile_id: profileId, changes }),
    async invitePerson(body: InvitePersonBody): Promise<{ person: Person }> {
      const { data } = await api.client.auth.getSession();
      const token = data.session?.access_token;
      if (!token) throw new ApiError('Your session has ended. Please sign in again.', { code: '401', status: 401 });
      const response = await fetch(`${config.supabaseUrl}/functions/v1/invite-person`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, apikey: config.supabaseAnonKey, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw await fromFunctionResponse(response);
      return (await response.json()) as { person: Person };
    },
    reassignTask: (taskId: string, assigneeId: string, reason: string) =>
      rpc<unknown>('act_on_task', { task_id: taskId, action: 'reassign', params: { assignee_id: assigneeId, reason } }),
    reassignWorkflow: (executionId: string, assigneeId: string, reason: string) =>
      rpc<unknown>('reassign_workflow', { execution_id: executionId, assignee_id: assigneeId, reason }),

    getIntegrations: () => rpc<IntegrationsOverview>('get_integrations_overview'),
    createSecret: (label: string) => rpc<WebhookSecret & { secret: string }>('create_webhook_secret', { label }),
    rotateSecret: (secretId: string, overlapHours: number) =>
      rpc<{ secret: WebhookSecret & { secret: string }; previous: WebhookSecret }>('rotate_webhook_secret', { secret_id: secretId, overlap_hours: overlapHours }),
    revokeSecret: (secretId: string) => rpc<WebhookSecret>('revoke_webhook_secret', { secret_id: secretId }),

    listAudit: (cursor: string | null, entity: string | null) =>
      rpc<AuditPage>('list_admin_audit', { page_size: 50, ...(cursor ? { cursor } : {}), ...(entity ? { entity } : {}) }),
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
