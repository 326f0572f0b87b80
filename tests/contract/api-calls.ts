// Every public RPC called once with valid arguments as the role it is for, on the demo
// data (reads, as Sam, Maria and Ada of Acme) and on a throwaway organisation (writes and
// admin changes, so no other suite sees them). Used by api-schemas.test.ts, which parses
// each result with its schema from functions-shared/api.
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { createAdminFixtureOrg, type AdminFixtureOrg } from '../integration/admin-fixture-org.ts';
import { serviceClient, signedInAs, withDb } from '../support/stack.ts';
import { attestedAs } from '../support/agent-attestation.ts';

export interface Called {
  /** RPC name → what each call of that name returned. */
  results: Map<string, unknown[]>;
  fixture: AdminFixtureOrg;
}

type Row = Record<string, unknown> & { id: string };

export async function callEveryRpc(): Promise<Called> {
  const results = new Map<string, unknown[]>();
  async function call<T = Row>(client: SupabaseClient, name: string, args: Record<string, unknown> = {}): Promise<T> {
    const { data, error } = await client.rpc(name, args);
    if (error) throw new Error(`${name}: ${error.code} ${error.message}`);
    results.set(name, [...(results.get(name) ?? []), data]);
    return data as T;
  }

  const [sam, maria, ada] = await Promise.all([signedInAs('csm'), signedInAs('manager'), signedInAs('admin')]);
  const service = serviceClient();
  const fixture = await createAdminFixtureOrg('api');
  const [admin, csm] = await Promise.all([fixture.signIn('admin'), fixture.signIn('csm')]);

  // Reads on the demo data.
  const samProfile = await call<{ id: string; org_id: string }>(sam, 'get_my_profile');
  const queue = await call<{ items: { execution_id: string }[] }>(sam, 'get_workflow_queue', { page_size: 50 });
  await call(sam, 'get_workflow_queue', { page_size: 50, group_by_customer: true, include_snoozed: true });
  await call(maria, 'get_workflow_queue', { page_size: 50, filters: { lanes: ['now'] } });
  // Many shapes of the same result: every queue item's execution and context.
  for (const item of queue.items.slice(0, 12)) {
    await call(sam, 'get_workflow_execution', { execution_id: item.execution_id });
    await call(sam, 'get_customer_context', { execution_id: item.execution_id });
  }
  await call(sam, 'get_user_preferences');
  const customers = await call<{ items: Row[] }>(sam, 'list_customers', { page_size: 50 });
  const demoCustomer = customers.items[0]!.id;
  for (const customer of customers.items.slice(0, 12)) {
    await call(sam, 'get_customer_overview', { customer_id: customer.id });
    await call(sam, 'get_customer_timeline', { customer_id: customer.id, page_size: 50 });
  }
  await call(maria, 'list_tasks', { status: 'all', page_size: 50 });
  await call(sam, 'get_customer_overview', { customer_id: demoCustomer });
  await call(sam, 'get_customer_context', { customer_id: demoCustomer });
  await call(sam, 'get_customer_timeline', { customer_id: demoCustomer, page_size: 10 });
  await call(sam, 'search_customer_history', { customer_id: demoCustomer, query: 'renewal' });
  await call(sam, 'list_startable_workflows', { customer_id: demoCustomer });
  await call(sam, 'list_saved_actions');
  await call(sam, 'list_task_options');
  await call(sam, 'list_escalation_levels');
  await call(sam, 'list_workflow_types');
  await call(sam, 'list_team_members');
  await call(sam, 'list_notifications', { unread_only: false, page_size: 10 });
  await call(sam, 'list_tasks', { status: 'active', page_size: 10 });
  await call(sam, 'list_workflow_definitions');
  await call(sam, 'get_organisation_settings');
  await call(maria, 'get_team_overview');
  await call(maria, 'list_escalations', { status: 'open' });
  await call(ada, 'list_people');
  await call(ada, 'list_admin_audit', { page_size: 10 });
  await call(ada, 'get_integrations_overview', { page_size: 10 });
  await call(ada, 'list_outbox_messages', { page_size: 10 });
  await call(ada, 'get_workflow_definition', { workflow_key: 'risk-intervention' });
  const today = new Date().toISOString().slice(0, 10);
  const monthStart = `${today.slice(0, 7)}-01`;
  const yearAgo = `${Number(today.slice(0, 4)) - 1}${monthStart.slice(4)}`;
  const inYear = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
  await call(maria, 'get_renewal_forecast', { period_start: today, period_end: inYear });
  await call(maria, 'get_retention_metrics', { period_start: yearAgo, period_end: monthStart });

  // Writes in the throwaway organisation.
  const me = await call<{ id: string }>(csm, 'get_my_profile');
  await call(csm, 'update_user_preferences', { changes: { ui: { compactMode: true } } });
  const customerId = await fixture.customer('Contract Co');
  await call(csm, 'log_engagement', { customer_id: customerId, kind: 'note', occurred_at: new Date().toISOString(), summary: 'Called about the renewal' });
  await call(csm, 'search_customer_history', { customer_id: customerId, query: 'renewal' });
  // A customer with no usage, finances or team yet: the context's empty sections.
  await call(csm, 'get_customer_context', { customer_id: customerId });
  const execution = await call(csm, 'create_workflow_execution', { customer_id: customerId, workflow_key: 'risk-intervention' });
  const started = await call<{ current_step: { key: string } }>(csm, 'start_workflow', { execution_id: execution.id });
  const stepKey = started.current_step.key;
  await call(csm, 'get_workflow_execution', { execution_id: execution.id });
  await call(csm, 'get_step_chat_branches', { workflow_key: 'risk-intervention', step_key: stepKey });

  // Chat: a thread, a posted question, the answer finished by the service role.
  const thread = await call(csm, 'create_chat_thread', { execution_id: execution.id, step_key: stepKey });
  const posted = await call<{ assistant_message: Row }>(csm, 'post_chat_message', { thread_id: thread.id, content: 'How is this customer doing?', client_message_id: randomUUID() });
  const replyId = posted.assistant_message.id;
  await call(service, 'agent_attestation_key', {});
  await call(service, 'record_llm_tool_call', {
    thread_id: thread.id, message_id: replyId, tool_name: 'get_customer_context', tool_input: { execution_id: execution.id },
    tool_output: { ok: true }, success: true, duration_ms: 3,
  });
  await call(service, 'create_assistant_artifact', {
    thread_id: thread.id, message_id: replyId, author_id: me.id, artifact_type: 'email_draft', title: 'Check-in',
    content: { to: ['pat@contract.test'], subject: 'Check-in', body: 'Hello' }, ai_model: 'mock',
  });
  await call(service, 'propose_action', {
    action_key: 'snooze', rationale: 'The champion is away.', params: { days: 3, reason: 'Champion away' }, execution_id: execution.id,
    thread_id: thread.id, message_id: replyId, author_id: me.id, source: 'thread',
  });
  await call(service, 'finish_chat_message', {
    thread_id: thread.id, message_id: replyId, content: 'They are doing fine.', status: 'complete', tokens_in: 10, tokens_out: 5, model: 'mock',
  });
  // A second question: the prompt now carries the first exchange as history.
  const again = await call<{ assistant_message: Row }>(csm, 'post_chat_message', { thread_id: thread.id, content: 'And the renewal?', client_message_id: randomUUID() });
  await call(service, 'finish_chat_message', { thread_id: thread.id, message_id: again.assistant_message.id, content: 'On track.', status: 'complete', model: 'mock' });
  await call(csm, 'get_chat_thread', { thread_id: thread.id });
  await call(csm, 'list_chat_messages', { thread_id: thread.id });
  await call(csm, 'complete_chat_thread', { thread_id: thread.id });

  // Artifacts.
  const artifact = await call(csm, 'create_artifact', {
    execution_id: execution.id, artifact_type: 'email_draft', title: 'Renewal note',
    content: { to: ['pat@contract.test'], subject: 'Renewal', body: 'Hello' },
  });
  await call(csm, 'list_artifacts', { execution_id: execution.id });
  await call(csm, 'update_artifact', { artifact_id: artifact.id, changes: { title: 'Renewal note (v2)' }, base_version: 1 });
  await call(admin, 'approve_artifact', { artifact_id: artifact.id, approved: true });
  await call(csm, 'get_artifact', { artifact_id: artifact.id });
  const sent = await call<{ result: { outbox_id?: string } }>(csm, 'execute_action', {
    action_key: 'send_email', execution_id: execution.id, params: { artifact_id: artifact.id }, idempotency_key: randomUUID(),
  });
  // An agent's draft and proposal are the MCP server's calls (attested as the agent's).
  const agent = await attestedAs(csm, 'Contract agent');
  await call(agent, 'create_agent_draft', {
    execution_id: execution.id, artifact_type: 'email_draft', title: 'Agent draft', content: { to: [], subject: 'Hi', body: 'Hello' },
  });
  const spare = await call(csm, 'create_artifact', { execution_id: execution.id, artifact_type: 'custom', title: 'Spare', content: {} });
  await call(csm, 'delete_artifact', { artifact_id: spare.id });

  // Tasks.
  const task = await call(csm, 'create_task', { title: 'Send the deck', customer_id: customerId, execution_id: execution.id });
  await call(csm, 'get_task', { task_id: task.id });
  await call(csm, 'update_task', { task_id: task.id, changes: { priority: 'high' } });
  await call(csm, 'act_on_task', { task_id: task.id, action: 'start' });
  const spareTask = await call(csm, 'create_task', { title: 'Spare', customer_id: customerId });
  await call(csm, 'delete_task', { task_id: spareTask.id });
  await call(csm, 'list_tasks', { status: 'active' });
  await call(csm, 'create_artifact', { execution_id: execution.id, task_id: task.id, artifact_type: 'custom', title: 'Deck', content: { pages: 3 } });
  await call(csm, 'get_task', { task_id: task.id });

  // Actions, the action log's service-role writers, proposals.
  const acted = await call<{ action_execution_id: string }>(csm, 'execute_action', {
    action_key: 'create_task', execution_id: execution.id, params: { title: 'Follow up', due_date: '2031-01-15T09:00:00Z' }, idempotency_key: randomUUID(),
  });
  await call(service, 'record_action_side_effect', { action_execution_id: acted.action_execution_id, effect_type: 'notify_manager', status: 'skipped' });
  await call(service, 'log_refused_action', {
    executed_by: me.id, action_key: 'snooze', execution_id: execution.id, params: { days: 99 }, idempotency_key: randomUUID(),
    error_code: '22023', error_message: 'days must be between 1 and 30',
  });
  await call(service, 'withdraw_overridden_approval', { executed_by: me.id, execution_id: execution.id, params: {} });
  const proposals = await call<Row[]>(csm, 'list_proposals', { status: 'proposed', execution_id: execution.id });
  await call(csm, 'decide_proposal', { proposal_id: proposals[0]!.id, approve: false });
  const agentProposal = await call(agent, 'propose_action', {
    action_key: 'create_task', rationale: 'Send the deck before the call.', params: { title: 'Send the deck', due_date: '2031-01-15T09:00:00Z' },
    execution_id: execution.id, source: 'agent',
  });
  await call(csm, 'decide_proposal', { proposal_id: agentProposal.id, approve: true, idempotency_key: randomUUID() });
  const afterThread = await call<{ current_step: { key: string } }>(csm, 'get_workflow_execution', { execution_id: execution.id });
  await call(csm, 'complete_step', { execution_id: execution.id, step_key: afterThread.current_step.key });

  // Snooze and wake, escalate and withdraw, escalate and resolve, reassign.
  await call(csm, 'execute_action', { action_key: 'snooze', execution_id: execution.id, params: { days: 3, reason: 'Away' }, idempotency_key: randomUUID() });
  await call(csm, 'wake_workflow', { execution_id: execution.id });
  await call(csm, 'execute_action', { action_key: 'escalate', execution_id: execution.id, params: { reason: 'Discount asked' }, idempotency_key: randomUUID() });
  // An escalated execution: its metadata records the escalation (EscalationEntry).
  await call(csm, 'get_workflow_execution', { execution_id: execution.id });
  await call(admin, 'list_escalations', { status: 'open' });
  await call(csm, 'withdraw_escalation', { execution_id: execution.id, reason: 'Sorted it out' });
  await call(csm, 'execute_action', { action_key: 'escalate', execution_id: execution.id, params: { reason: 'Discount asked again' }, idempotency_key: randomUUID() });
  await call(admin, 'resolve_escalation', { execution_id: execution.id, decision: 'return', note: 'Offer 5%' });
  await call(admin, 'reassign_workflow', { execution_id: execution.id, assignee_id: fixture.adminId, reason: 'Covering' });
  await call(admin, 'reassign_workflow', { execution_id: execution.id, assignee_id: fixture.csmId, reason: 'Back' });
  // Many at once: one reassigned and back, one refused (already theirs), as the queue's bulk Reassign.
  await call(admin, 'reassign_workflows', { execution_ids: [execution.id], assignee_id: fixture.adminId, reason: 'Covering' });
  await call(admin, 'reassign_workflows', { execution_ids: [execution.id], assignee_id: fixture.csmId, reason: 'Back' });
  await call(admin, 'reassign_workflows', { execution_ids: [execution.id], assignee_id: fixture.csmId, reason: 'Back again' });
  await call(csm, 'execute_action', {
    action_key: 'schedule_meeting', execution_id: execution.id, idempotency_key: randomUUID(),
    params: { title: 'Renewal call', scheduled_at: '2031-01-15T09:00:00Z', duration_minutes: 30, attendees: ['pat@contract.test'] },
  });
  await call(csm, 'get_workflow_execution', { execution_id: execution.id });
  await call(csm, 'complete_workflow', { execution_id: execution.id, outcome: {}, skip_remaining: true, reason: 'Done early' });
  const second = await call(csm, 'create_workflow_execution', { customer_id: customerId, workflow_key: 'risk-intervention' });

  // Revenue: a renewal the orchestrator opens for a customer renewing in three weeks.
  const renewalCustomer = await withDb(async (db) => (await db.query<{ id: string }>(
    `insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
     values ($1, 'Renewal Co', 100000, 80, current_date + 5, $2) returning id`, [fixture.orgId, fixture.csmId])).rows[0]!.id);
  await call(admin, 'run_orchestrator', {});
  // A second run the same day has nothing to rebuild: incremental, full_reason null, so both
  // shapes of the result are parsed whatever the first run found.
  await call(admin, 'run_orchestrator', {});
  const renewal = await withDb(async (db) => (await db.query<{ id: string }>(
    `select id from app.workflow_executions where customer_id = $1 and renewal_stage is not null and status = 'queued'`, [renewalCustomer])).rows[0]!.id);
  await call(csm, 'start_workflow', { execution_id: renewal });
  const renewalNow = await call<{ workflow_key: string; current_step: { key: string } }>(csm, 'get_workflow_execution', { execution_id: renewal });
  const offered = await call<{ branch_key: string; branch_type: string }[]>(csm, 'get_step_chat_branches', { workflow_key: renewalNow.workflow_key, step_key: renewalNow.current_step.key });
  const fixed = offered.find((b) => b.branch_type === 'fixed');
  if (!fixed) throw new Error(`${renewalNow.workflow_key}/${renewalNow.current_step.key} offers no fixed branch`);
  await call(csm, 'choose_chat_branch', { execution_id: renewal, step_key: renewalNow.current_step.key, branch_key: fixed.branch_key, idempotency_key: randomUUID() });
  await call(csm, 'set_renewal_forecast', { execution_id: renewal, category: 'commit', forecast_arr: 110000, note: 'Quote signed' });
  await call(csm, 'record_renewal_outcome', { execution_id: renewal, outcome: 'renewed', new_arr: 110000 });
  // A renewal 45 days past its decision, which no workflow works: closed by its customer.
  const lapsedCustomer = await withDb(async (db) => (await db.query<{ id: string }>(
    `insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
     values ($1, 'Lapsed Co', 60000, 40, current_date - 45, $2) returning id`, [fixture.orgId, fixture.csmId])).rows[0]!.id);
  await call(csm, 'record_customer_renewal_outcome', { customer_id: lapsedCustomer, outcome: 'churned', idempotency_key: randomUUID() });
  // The closed renewal, as the forecast shows it (with its outcome).
  await call(admin, 'get_renewal_forecast', { period_start: monthStart, period_end: inYear });

  // Contracts: an extraction stored by the service role, confirmed by the CSM.
  const objectPath = `${fixture.orgId}/${customerId}/contract.pdf`;
  const uploaded = await csm.storage.from('contracts').upload(objectPath, new Blob(['%PDF-1.4 contract'], { type: 'application/pdf' }));
  if (uploaded.error) throw uploaded.error;
  await call(csm, 'check_contract_extraction', { customer_id: customerId });
  const extraction = await call<{ extraction_id: string }>(service, 'record_contract_extraction', {
    requested_by: fixture.csmId, customer_id: customerId, object_path: objectPath, model: 'patterns',
    pages: ['This agreement renews automatically. Notice period: 60 days.'],
    fields: [{ key: 'notice_period_days', value: 60, quote: 'Notice period: 60 days', page: 1, confidence: 0.9 }],
  });
  await call(csm, 'list_contract_extractions', { customer_id: customerId });
  await call(csm, 'get_contract_extraction', { extraction_id: extraction.extraction_id });
  await call(csm, 'confirm_contract_fields', { extraction_id: extraction.extraction_id, fields: [{ key: 'notice_period_days', value: 60 }] });

  // Daily brief: facts stored, prose written, read back. A customer whose health and seat
  // usage fell since the day before, so the brief's numeric facts (health_drop, usage_drop:
  // their from and to are numbers, a stage_change's are words) are parsed on every run.
  await withDb(async (db) => {
    const dropping = (await db.query<{ id: string }>(
      `insert into app.customers (org_id, name, arr, health_score, assigned_to) values ($1, 'Dropping Co', 40000, 50, $2) returning id`,
      [fixture.orgId, fixture.csmId])).rows[0]!.id;
    await db.query(
      `insert into app.customer_score_history (org_id, customer_id, recorded_at, health_score) values ($1, $2, now() - interval '2 days', 80)`,
      [fixture.orgId, dropping]);
    await db.query(
      `insert into app.usage_snapshots (org_id, customer_id, recorded_at, active_users, licensed_seats)
       values ($1, $2, now() - interval '2 days', 80, 100), ($1, $2, now(), 40, 100)`, [fixture.orgId, dropping]);
  });
  const due = await call<{ brief_id: string; facts: { id: string }[] }[]>(service, 'store_daily_briefs', { profile_id: fixture.csmId });
  const brief = due[0]!;
  await call(service, 'write_daily_briefs', {
    briefs: [{ brief_id: brief.brief_id, model: 'mock', sentences: brief.facts.length ? [{ text: 'One thing today.', facts: [brief.facts[0]!.id] }] : [] }],
  });
  await call(csm, 'get_daily_brief', {});
  await call(csm, 'get_daily_brief', { brief_date: '2000-01-03' });

  // Notifications.
  const notes = await call<{ items: Row[] }>(csm, 'list_notifications', { unread_only: false });
  await call(csm, 'mark_notifications_read', { notification_ids: notes.items.map((n) => n.id) });

  // Administration.
  await call(admin, 'update_person', { profile_id: fixture.csmId, changes: { title: 'Senior CSM' } });
  await call(admin, 'get_person_open_work', { profile_id: fixture.csmId });
  await call(admin, 'update_organisation_settings', { changes: { time_zone: 'Europe/Paris' } });
  const definition = await call<{ version: number; definition: Record<string, unknown> }>(admin, 'get_workflow_definition', { workflow_key: 'health-check' });
  await call(admin, 'save_workflow_definition', { workflow_key: 'health-check', definition: definition.definition, base_version: definition.version });
  // Now with a previous version to compare against.
  await call(admin, 'get_workflow_definition', { workflow_key: 'health-check' });
  await call(admin, 'set_workflow_enabled', { workflow_key: 'health-check', enabled: false });
  await call(admin, 'save_saved_action', { action_key: 'snooze', config: { max_days: 10, default_days: 5 } });
  const created = await call<{ id: string }>(admin, 'create_webhook_secret', { label: 'CRM' });
  await call(admin, 'list_webhook_secrets');
  const rotated = await call<{ secret: { id: string } }>(admin, 'rotate_webhook_secret', { secret_id: created.id, overlap_hours: 1 });
  await call(admin, 'revoke_webhook_secret', { secret_id: rotated.secret.id });

  // Outbox: a message claimed, failed, retried by the admin.
  const outboxId = sent.result.outbox_id!;
  const claimed = await call<{ outbox: { lease_token: string } }>(service, 'claim_outbox_message', { outbox_id: outboxId });
  await call(service, 'complete_outbox_message', {
    outbox_id: outboxId, lease_token: claimed.outbox.lease_token, delivery_status: 'failed', error_message: 'Mailbox full',
  });
  // Out of attempts: the row stays failed until a person retries it.
  await withDb((db) => db.query(`update app.email_outbox set status = 'failed' where id = $1`, [outboxId]));
  await call(admin, 'retry_outbox_message', { outbox_id: outboxId });
  await call(service, 'claim_due_outbox_messages', { max_messages: 1 });
  await call(admin, 'list_outbox_messages', {});
  await call(admin, 'list_admin_audit', {});

  await call(csm, 'cancel_workflow', { execution_id: second.id, reason: 'Opened by mistake' });

  // Ingest (service role): the secrets, one batch, the delivery log.
  const slug = await withDb(async (db) => (await db.query<{ slug: string }>('select slug from app.organisations where id = $1', [fixture.orgId])).rows[0]!.slug);
  await call(service, 'ingest_webhook_secrets', { org: slug });
  const webhookId = `msg_${randomUUID()}`;
  await call(service, 'ingest_apply_batch', {
    org_id: fixture.orgId, webhook_id: webhookId,
    events: [{ type: 'customer.upserted', data: { external_id: 'crm-1', name: 'Ingested Co', arr: 50000 } }],
  });
  await call(service, 'record_webhook_delivery', { org_id: fixture.orgId, webhook_id: webhookId, status: 200, outcome: 'applied', event_count: 1 });

  await call(admin, 'get_integrations_overview', {});
  await call(csm, 'get_customer_overview', { customer_id: customerId });

  // A new organisation and an invited person (service role, as `renubu org create` and
  // invite-person call them).
  const newAdmin = await service.auth.admin.createUser({ email: `api-${randomUUID().slice(0, 8)}@contract.test`, password: 'api-contract-password', email_confirm: true });
  if (newAdmin.error) throw newAdmin.error;
  const org = await call<{ org_id?: string; id?: string }>(service, 'create_organisation', {
    name: `API ${randomUUID().slice(0, 8)}`, admin_user_id: newAdmin.data.user.id, admin_full_name: 'Api Admin', admin_email: newAdmin.data.user.email!,
  });
  // Unconfirmed, as Auth's invitation leaves it: a confirmed account of nobody's is one the
  // organisation cannot take (app.address_taken_elsewhere, docs/admin.md "Inviting someone").
  const invited = await service.auth.admin.createUser({ email: `api-${randomUUID().slice(0, 8)}@contract.test`, email_confirm: false });
  if (invited.error) throw invited.error;
  await call(service, 'check_invited_person', {
    actor_id: fixture.adminId, email: invited.data.user.email!, full_name: 'Invited Person', role: 'csm',
  });
  await call(service, 'create_invited_person', {
    actor_id: fixture.adminId, user_id: invited.data.user.id, email: invited.data.user.email!, full_name: 'Invited Person', role: 'csm',
  });
  // The new organisation's admin, invited by the fixture's: an address of another organisation,
  // answered as invited and kept unsent.
  await call(service, 'check_invited_person', {
    actor_id: fixture.adminId, email: newAdmin.data.user.email!, full_name: 'Api Admin', role: 'viewer',
  });
  const kept = await call<{ person: { id: string } }>(service, 'create_unsent_invitation', {
    actor_id: fixture.adminId, email: newAdmin.data.user.email!, full_name: 'Api Admin', role: 'viewer',
  });
  // Sent again (resend-invitation: a sent one, and one that made nobody, with its notice), then taken back.
  await call(service, 'record_invitation_resend', { actor_id: fixture.adminId, invitation_id: invited.data.user.id });
  await call(service, 'record_invitation_resend', { actor_id: fixture.adminId, invitation_id: kept.person.id });
  // Its mail failed: given back to the allowance.
  await call(service, 'record_failed_invitation_resend', { actor_id: fixture.adminId, invitation_id: kept.person.id });
  await call(admin, 'revoke_invitation', { invitation_id: kept.person.id });
  // Hand-overs, last: they move the CSM's customers and work to the admin.
  await call(admin, 'reassign_customer', { customer_id: customerId, assignee_id: fixture.adminId, reason: 'Covering', idempotency_key: randomUUID() });
  await call(admin, 'hand_over_work', { profile_id: fixture.csmId, assignee_id: fixture.adminId, reason: 'On leave' });
  void org;
  void samProfile;
  return { results, fixture };
}
