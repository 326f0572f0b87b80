// Canned server answers (shaped like the RPCs') for the customer screens' component tests.
export const CUSTOMER_ID = '11111111-1111-4111-8111-111111111111';

export const customerRow = {
  id: CUSTOMER_ID, name: 'Globex', domain: 'globex.example', industry: 'Manufacturing', arr: 180000, health_score: 42,
  account_plan: 'monitor', renewal_stage: 'Critical', renewal_date: '2027-03-30', days_until_renewal: 70,
  decision_date: '2027-01-29', days_until_decision: 10, assigned_to: 'me', assignee: { id: 'me', full_name: 'Sam CSM' },
};

export const overview = {
  customer: customerRow,
  workflows: [
    { execution_id: 'e-open', workflow_key: 'critical', workflow_name: 'Critical Stage', workflow_type: 'renewal', status: 'queued', open: true,
      lane: 'now', priority_score: 120, assignee: { id: 'me', full_name: 'Sam CSM' }, total_steps: 4, current_step_index: 0,
      created_at: '2027-01-10T09:00:00Z', started_at: null, completed_at: null, snoozed_until: null },
    { execution_id: 'e-past', workflow_key: 'health-check', workflow_name: 'Monthly Health Check', workflow_type: 'strategic', status: 'completed', open: false,
      lane: null, priority_score: 50, assignee: null, total_steps: 3, current_step_index: null,
      created_at: '2026-11-01T09:00:00Z', started_at: '2026-11-01T09:00:00Z', completed_at: '2026-11-02T09:00:00Z', snoozed_until: null },
  ],
  artifacts: [{ id: 'a1', execution_id: 'e-past', artifact_type: 'email_draft', title: 'Check-in note', approved_at: '2026-11-02T08:00:00Z', created_at: '2026-11-01T10:00:00Z', workflow_name: 'Monthly Health Check', send_state: null }],
  contracts: [{ id: 'k1', contract_number: 'GX-2026', status: 'active', start_date: '2026-03-30', end_date: '2027-03-30', annual_value: 180000, currency: 'USD',
    auto_renew: true, notice_period_days: 60, notice_deadline: '2027-01-29', days_until_notice_deadline: 10 }],
  health_history: [{ recorded_at: '2026-06-01T00:00:00Z', health_score: 70 }, { recorded_at: '2026-12-01T00:00:00Z', health_score: 42 }],
  tasks: [task()],
  startable_workflows: [{ key: 'risk-intervention', name: 'Risk Intervention', workflow_type: 'risk', total_steps: 4, open_execution_id: null }],
};

export const timeline = {
  items: [
    { id: 't1', kind: 'engagement', subtype: 'call', occurred_at: '2027-01-18T10:00:00Z', title: 'Budget call', summary: 'Budget call with the CFO',
      actor: { id: 'me', full_name: 'Sam CSM' }, execution_id: null, details: {} },
    { id: 't2', kind: 'stage_change', subtype: 'renewal_stage', occurred_at: '2027-01-17T00:00:00Z', title: 'Renewal stage: Signature → Critical', summary: null,
      actor: null, execution_id: null, details: {} },
  ],
  next_cursor: null,
};

export const context = {
  customer: { ...customerRow },
  intelligence: null,
  data: {
    financials: { current_arr: 180000, current_arr_recorded_at: null, previous_arr: null, arr_changed_at: null, arr_change: null, growth_rate: null,
      baseline_arr: null, baseline_at: null, trend: 'stable', history: [] },
    usage: { active_users: null, licensed_seats: null, utilisation: null, recorded_at: null, baseline_active_users: null, baseline_at: null, trend: 'stable', history: [] },
    engagement: { last_contact_at: null, last_contact_type: null, days_since_last_contact: null, last_qbr_at: null, next_qbr_at: null, nps_score: null, nps_recorded_at: null, open_tickets: null },
  },
  workflow: null,
  account_team: { csm: { id: 'me', full_name: 'Sam CSM' }, account_executive: null, support_engineer: null,
    stakeholders: [{ id: 's1', name: 'Dana CFO', title: 'CFO', is_champion: true, is_decision_maker: true, influence: 'high' }] },
  freshness: {},
};

export function task(overrides: Record<string, unknown> = {}) {
  return {
    id: 'task-1', title: 'Send the 2-year option', description: null, task_type: 'custom', priority: 'high', status: 'pending',
    due_date: '2027-01-20T17:00:00Z', customer_id: CUSTOMER_ID, customer_name: 'Globex', customer: { id: CUSTOMER_ID, name: 'Globex' },
    execution_id: null, assigned_to: 'me', assignee: { id: 'me', full_name: 'Sam CSM' }, snoozed_until: null, days_until_deadline: 2, is_overdue: false,
    force_action: false, created_at: '2027-01-18T10:00:00Z', ...overrides,
  };
}
