// Administration of definitions through supabase-js, as the Admin pages do it: a
// definition edited while an execution runs (the running one keeps its steps, new ones
// get the new steps), a stale save refused, an override of the snooze limits enforced by
// execute_action, and the settings changed by an admin only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { createAdminFixtureOrg, type AdminFixtureOrg } from './admin-fixture-org.ts';

let org: AdminFixtureOrg;
let admin: SupabaseClient;
let csm: SupabaseClient;

interface Definition { version: number; definition: { steps: { key: string; title: string; [k: string]: unknown }[] } }
interface Execution { id: string; steps: { key: string; title: string; status: string }[]; workflow: { version: number } }

async function call<T>(client: SupabaseClient, fn: string, args: Record<string, unknown> = {}): Promise<T> {
  const { data, error } = await client.rpc(fn, args);
  if (error) throw Object.assign(new Error(`${fn}: ${error.code} ${error.message}`), { code: error.code });
  return data as T;
}

beforeAll(async () => {
  org = await createAdminFixtureOrg('admindefs');
  admin = await org.signIn('admin');
  csm = await org.signIn('csm');
});
afterAll(async () => { await org?.remove(); });

describe('editing a workflow definition', () => {
  it('leaves a running execution its steps and gives new executions the new ones', async () => {
    const running = await call<Execution>(csm, 'create_workflow_execution', { customer_id: await org.customer('Running Co'), workflow_key: 'risk-intervention' });
    await call(csm, 'start_workflow', { execution_id: running.id });
    const before = await call<Execution>(csm, 'get_workflow_execution', { execution_id: running.id });
    await call(csm, 'complete_step', { execution_id: running.id, step_key: before.steps[0]!.key });

    const current = await call<Definition>(admin, 'get_workflow_definition', { workflow_key: 'risk-intervention' });
    const steps = current.definition.steps.map((step, index) => (index === 1 ? { ...step, title: 'Agree the rescue plan with the sponsor' } : step));
    steps.push({ key: 'lessons-learned', title: 'Write down what we learned', type: 'outcome', prompt_template: 'What did {{customer.name}} teach us?', artifact_types: ['summary'], branches: [] });
    const saved = await call<Definition>(admin, 'save_workflow_definition', {
      workflow_key: 'risk-intervention', definition: { ...current.definition, steps }, base_version: current.version,
    });
    expect(saved.version).toBe(current.version + 1);

    const after = await call<Execution>(csm, 'get_workflow_execution', { execution_id: running.id });
    expect(after.steps.map((step) => step.title)).toEqual(before.steps.map((step) => step.title));
    expect(after.workflow.version).toBe(current.version);
    // The running execution goes on with its own next step.
    const next = await call<{ step: { key: string } }>(csm, 'complete_step', { execution_id: running.id, step_key: before.steps[1]!.key });
    expect(next.step.key).toBe(before.steps[1]!.key);

    const fresh = await call<Execution>(csm, 'create_workflow_execution', { customer_id: await org.customer('Fresh Co'), workflow_key: 'risk-intervention' });
    expect(fresh.workflow.version).toBe(saved.version);
    expect(fresh.steps[1]!.title).toBe('Agree the rescue plan with the sponsor');
    expect(fresh.steps.at(-1)!.key).toBe('lessons-learned');
  });

  it('refuses a save made from a version someone else has since replaced', async () => {
    const current = await call<Definition>(admin, 'get_workflow_definition', { workflow_key: 'health-check' });
    await call(admin, 'save_workflow_definition', { workflow_key: 'health-check', definition: current.definition, base_version: current.version });
    const { error } = await admin.rpc('save_workflow_definition', { workflow_key: 'health-check', definition: current.definition, base_version: current.version });
    expect(error?.code).toBe('PT409');
    expect(error?.message).toMatch(/changed since you opened it/);
  });

  it('is for admins only', async () => {
    const current = await call<Definition>(csm, 'get_workflow_definition', { workflow_key: 'health-check' });
    const { error } = await csm.rpc('save_workflow_definition', { workflow_key: 'health-check', definition: current.definition, base_version: current.version });
    expect(error?.code).toBe('42501');
  });
});

describe('an organisation\'s limits for a core action', () => {
  it('are enforced by execute_action', async () => {
    await call(admin, 'save_saved_action', { action_key: 'snooze', config: { max_days: 10, default_days: 5 } });
    const execution = await call<Execution>(csm, 'create_workflow_execution', { customer_id: await org.customer('Snooze Co'), workflow_key: 'expansion-proposal' });
    const refused = await csm.rpc('execute_action', { action_key: 'snooze', execution_id: execution.id, params: { days: 14, reason: 'Holiday' } });
    expect(refused.error?.code).toBe('22023');
    expect(refused.error?.message).toBe('days must be between 1 and 10');
    const applied = await call<{ result: { days: number } }>(csm, 'execute_action', { action_key: 'snooze', execution_id: execution.id, params: { days: 10, reason: 'Holiday' } });
    expect(applied.result.days).toBe(10);
    const settings = await call<{ snooze: { max_days: number } }>(csm, 'get_organisation_settings');
    expect(settings.snooze.max_days).toBe(10);
  });
});

describe('organisation settings', () => {
  it('are read by members and changed by admins only', async () => {
    const refused = await csm.rpc('update_organisation_settings', { changes: { time_zone: 'Europe/Paris' } });
    expect(refused.error?.code).toBe('42501');
    const bad = await admin.rpc('update_organisation_settings', { changes: { llm: { model: 'a model with spaces' } } });
    expect(bad.error?.code).toBe('22023');
    const changed = await call<{ time_zone: string; brief: { time: string } }>(admin, 'update_organisation_settings', { changes: { time_zone: 'Europe/Paris', brief: { time: '08:15' } } });
    expect(changed).toMatchObject({ time_zone: 'Europe/Paris', brief: { time: '08:15' } });
    expect(await call(csm, 'get_organisation_settings')).toMatchObject({ time_zone: 'Europe/Paris' });
  });
});
