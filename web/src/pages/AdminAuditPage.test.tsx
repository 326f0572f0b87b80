// @vitest-environment happy-dom
// Admin → Audit says each change in words: whom or what it was made to (a person's name, a
// secret's label, a workflow's name — never a row id) and only the fields that changed, each
// named in words with its value before and after (never the whole record as JSON).
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { AdminAuditPage } from './AdminAuditPage.tsx';
import { cannedWorkspace } from '../features/customers/testWorkspace.tsx';

afterEach(cleanup);

const ADA = { id: 'a0000000-0000-4000-8000-000000000001', full_name: 'Ada Admin' };
const CASEY = 'a0000000-0000-4000-8000-000000000004';
const MARIA = 'a0000000-0000-4000-8000-000000000002';
const AT = '2026-12-07T00:16:36.629988+00:00';

const SETTINGS = { llm: { model: 'llama3.1:8b' }, brief: { time: '07:00' }, time_zone: 'Europe/London',
  snooze: { max_days: 30, min_days: 1, default_days: 7 } };
const TASK_CONFIG = { priorities: ['low', 'medium', 'high', 'urgent'], default_priority: 'medium', due_date_required: true };
const STEPS = [{ key: 'confirm-status', title: 'Confirm where the renewal stands' }, { key: 'record-outcome', title: 'Record the outcome' }];

// As list_admin_audit answers them, recorded on a running stack.
const ENTRIES = [
  { id: 1, at: AT, actor: ADA, entity: 'organisation_settings', entity_id: '0a000000-0000-4000-8000-000000000001', action: 'update',
    before: { ...SETTINGS, email: { require_approval: true, allow_self_approval: false } },
    after: { ...SETTINGS, email: { require_approval: true, allow_self_approval: true } } },
  { id: 2, at: AT, actor: ADA, entity: 'person', entity_id: CASEY, action: 'update',
    before: { title: 'Customer Success Manager', manager_id: null }, after: { title: 'Customer Success Manager II', manager_id: MARIA } },
  { id: 3, at: AT, actor: ADA, entity: 'webhook_secret', entity_id: 'b87109af-6f6a-4ff1-ba5f-6dfb5f49a7d5', action: 'create', before: null,
    after: { id: 'b87109af-6f6a-4ff1-ba5f-6dfb5f49a7d5', label: 'CRM', active: true, created_at: '2026-12-07T00:17:05.738513+00:00',
      expires_at: null, secret_prefix: 'whsec_mPr4fu' } },
  { id: 4, at: AT, actor: ADA, entity: 'saved_action', entity_id: 'create_task', action: 'override',
    before: { key: 'create_task', name: 'Create Follow-up Task', scope: 'core', config: TASK_CONFIG, core_config: null, updated_at: AT },
    after: { key: 'create_task', name: 'Create Follow-up Task', scope: 'override', config: { ...TASK_CONFIG, default_priority: 'high' },
      core_config: TASK_CONFIG, updated_at: '2026-12-07T00:17:05.829863+00:00' } },
  { id: 5, at: AT, actor: ADA, entity: 'workflow_definition', entity_id: 'overdue', action: 'override',
    before: { scope: 'core', version: 1, definition: { name: 'Overdue Stage', steps: STEPS } },
    after: { scope: 'override', version: 2, definition: { name: 'Overdue Stage',
      steps: [{ ...STEPS[0], title: 'Confirm where the renewal stands (edited)' }, STEPS[1]] } } },
];

const PEOPLE = [
  { id: CASEY, full_name: 'Casey Junior', email: 'casey.csm@acme.test', role: 'csm' },
  { id: MARIA, full_name: 'Maria Manager', email: 'maria.manager@acme.test', role: 'manager' },
];

async function auditRows(entries: unknown[] = ENTRIES) {
  const { wrap } = cannedWorkspace('admin', {
    list_admin_audit: () => ({ items: entries, next_cursor: null }),
    list_people: () => PEOPLE,
    list_workflow_definitions: () => [{ key: 'overdue', name: 'Overdue Stage' }],
  });
  render(<AdminAuditPage />, { wrapper: wrap });
  const table = await screen.findByRole('table', { name: 'Audit log' });
  // The header row first, then one row per entry.
  return within(table).getAllByRole('row').slice(1);
}

function changeLines(row: HTMLElement): string[] {
  return within(row).getAllByRole('listitem').map((item) => item.textContent ?? '');
}

describe('the audit log', () => {
  it('names what each change was made to, never by its row id', async () => {
    const rows = await auditRows();
    expect(await within(rows[1]!).findByText('Casey Junior')).toBeTruthy();
    expect(within(rows[2]!).getByText('“CRM”')).toBeTruthy();
    expect(within(rows[3]!).getByText('Create Follow-up Task')).toBeTruthy();
    expect(within(rows[4]!).getByText('Overdue Stage')).toBeTruthy();
    const text = rows.map((row) => row.textContent).join('\n');
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  });

  it('names a workflow switched on or off by its name, as the Workflows page does, not by its key', async () => {
    const rows = await auditRows([{ id: 6, at: AT, actor: ADA, entity: 'workflow_definition', entity_id: 'overdue', action: 'disable',
      before: { enabled: true }, after: { enabled: false } }]);
    expect(await within(rows[0]!).findByText('Overdue Stage')).toBeTruthy();
    expect(changeLines(rows[0]!)).toEqual(['Enabled: Yes → No']);
  });

  it('lists only the fields that changed, in words, with their values before and after (a scope as its page badges it)', async () => {
    const rows = await auditRows();
    expect(changeLines(rows[0]!)).toEqual(['Email › Allow self approval: No → Yes']);
    expect(await within(rows[1]!).findByText(/Manager:/)).toBeTruthy();
    expect(changeLines(rows[1]!)).toEqual([
      'Title: “Customer Success Manager” → “Customer Success Manager II”',
      'Manager: — → Maria Manager',
    ]);
    // A secret made: what it was made with, without its row id or bookkeeping.
    expect(changeLines(rows[2]!)).toEqual(['Label: “CRM”', 'Active: Yes', 'Expires at: —', 'Secret prefix: “whsec_mPr4fu”']);
    expect(changeLines(rows[3]!)).toEqual(['Scope: Core → Your limits', 'Default priority: Medium → High']);
    // A step is named by its key, and only its changed field is listed, not the whole definition.
    expect(changeLines(rows[4]!)).toEqual([
      'Scope: Core → Your version',
      'Version: 1 → 2',
      'Definition › Steps › Confirm status › Title: “Confirm where the renewal stands” → “Confirm where the renewal stands (edited)”',
    ]);
    const text = rows.map((row) => row.textContent).join('\n');
    expect(text).not.toMatch(/[{}]|allow_self_approval|default_priority|manager_id|secret_prefix|core_config|updated_at/);
  });

  it('names a setting as Admin → Settings and Admin → Actions label it, not by its key', async () => {
    const settings = { ...SETTINGS, thresholds: { risk_score_trigger: 60 } };
    const snooze = { min_days: 1, default_days: 7, max_days: 30, reason_required: true };
    const rows = await auditRows([
      { id: 7, at: AT, actor: ADA, entity: 'organisation_settings', entity_id: '0a000000-0000-4000-8000-000000000001', action: 'update',
        before: settings,
        after: { ...settings, llm: { model: 'llama3.2:3b' }, brief: { time: '08:00' }, thresholds: { risk_score_trigger: 70 },
          snooze: { ...settings.snooze, min_days: 2 } } },
      { id: 8, at: AT, actor: ADA, entity: 'saved_action', entity_id: 'snooze', action: 'override',
        before: { key: 'snooze', name: 'Snooze Workflow', scope: 'core', config: snooze },
        after: { key: 'snooze', name: 'Snooze Workflow', scope: 'override', config: { ...snooze, min_days: 2 } } },
    ]);
    expect(changeLines(rows[0]!)).toEqual([
      'Assistant model: “llama3.1:8b” → “llama3.2:3b”',
      'Daily brief at: “07:00” → “08:00”',
      'Snooze › Fewest days: 1 → 2',
      'When work is opened › Risk assessment from risk score: 60 → 70',
    ]);
    expect(changeLines(rows[1]!)).toEqual(['Scope: Core → Your limits', 'Fewest days: 1 → 2']);
  });
});

describe('the audit log\'s Load more', () => {
  it('asks once however often it is pressed while a page is on its way, then puts the focus on the first row it brought', async () => {
    let asked = 0;
    const { wrap } = cannedWorkspace('admin', {
      list_admin_audit: (args) => {
        if (!args.cursor) return { items: [ENTRIES[1]], next_cursor: 'page-2' };
        asked += 1;
        return { items: [ENTRIES[2]], next_cursor: null };
      },
      list_people: () => PEOPLE,
      list_workflow_definitions: () => [],
    });
    render(<AdminAuditPage />, { wrapper: wrap });
    const more = await screen.findByRole('button', { name: 'Load more' });
    more.focus();
    fireEvent.click(more);
    fireEvent.click(more);
    const table = screen.getByRole('table', { name: 'Audit log' });
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(3));
    expect(asked).toBe(1);
    const [, , brought] = within(table).getAllByRole('row');
    await waitFor(() => expect(document.activeElement).toBe(brought));
  });
});

describe('AdminAuditPage for a manager', () => {
  it('says who may use it and asks the server nothing (which would refuse, a 403 in the console)', async () => {
    const { wrap, calls } = cannedWorkspace('manager', {});
    render(<AdminAuditPage />, { wrapper: wrap });
    expect(await screen.findByText('Only admins read the audit log.')).toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(calls).toEqual([]);
  });
});
