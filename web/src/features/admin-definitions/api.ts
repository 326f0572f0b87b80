// The Admin pages' calls: workflow definitions, saved actions and organisation settings.
// The RPCs are newer than the generated Database type, so they are called by name here
// (through the workspace's own supabase-js client, errors turned into ApiError as
// lib/api.ts does) with their shapes typed below.
import type { RenubuClient } from '../../lib/api.ts';
import { fromPostgrestError } from '../../lib/errors.ts';
import type { WorkflowDefinition } from '../../../../functions-shared/admin/workflow-definition.ts';

export type { WorkflowDefinition, WorkflowStep, WorkflowBranch } from '../../../../functions-shared/admin/workflow-definition.ts';

export interface DefinitionSummary {
  key: string;
  name: string;
  description: string | null;
  type: string;
  trigger: { kind: string; [key: string]: unknown };
  base_score: number;
  scope: 'core' | 'override' | 'organisation';
  version: number;
  enabled: boolean;
  step_count: number;
  steps: { key: string; title: string }[];
  updated_at: string;
}

export interface DefinitionDetail extends DefinitionSummary {
  shown_version: number;
  definition: WorkflowDefinition;
  previous: { version: number; scope: 'core' | 'organisation'; definition: WorkflowDefinition } | null;
  versions: { version: number; scope: 'core' | 'organisation'; created_at: string; change_note: string | null; created_by: string | null }[];
}

export interface AdminSavedAction {
  key: string;
  name: string;
  type: string;
  description: string | null;
  config: Record<string, unknown>;
  scope: 'core' | 'override' | 'organisation';
  core_config: Record<string, unknown> | null;
  updated_at: string;
}

export interface OrganisationSettings {
  time_zone: string;
  email: { require_approval: boolean; allow_self_approval: boolean };
  thresholds: { risk_score_trigger: number; opportunity_score_trigger: number; renewal_overdue_cutoff_days: number };
  snooze: { default_days: number; min_days: number; max_days: number };
  brief: { time: string };
  llm: { model: string };
  updated_at?: string;
}

export type SettingsChanges = { time_zone?: string } & { [G in Exclude<keyof OrganisationSettings, 'time_zone' | 'updated_at'>]?: Partial<OrganisationSettings[G]> };

export function adminDefinitionsApi(client: RenubuClient) {
  async function rpc<T>(name: string, args?: Record<string, unknown>): Promise<T> {
    const untyped = client as unknown as {
      rpc(fn: string, args?: Record<string, unknown>): PromiseLike<{ data: unknown; error: { code?: string; message?: string; hint?: string | null; details?: unknown } | null; status: number }>;
    };
    const { data, error, status } = await untyped.rpc(name, args);
    if (error) throw fromPostgrestError(error, status);
    return data as T;
  }
  return {
    listWorkflowDefinitions: () => rpc<DefinitionSummary[]>('list_workflow_definitions'),
    getWorkflowDefinition: (workflowKey: string, version?: number) =>
      rpc<DefinitionDetail>('get_workflow_definition', version === undefined ? { workflow_key: workflowKey } : { workflow_key: workflowKey, version }),
    saveWorkflowDefinition: (workflowKey: string, definition: WorkflowDefinition, baseVersion: number | null) =>
      rpc<DefinitionDetail>('save_workflow_definition', { workflow_key: workflowKey, definition, base_version: baseVersion }),
    setWorkflowEnabled: (workflowKey: string, enabled: boolean) =>
      rpc<DefinitionSummary>('set_workflow_enabled', { workflow_key: workflowKey, enabled }),
    listSavedActions: () => rpc<AdminSavedAction[]>('list_saved_actions'),
    saveSavedAction: (actionKey: string, config: Record<string, unknown>, extra: { name?: string; action_type?: string; description?: string } = {}) =>
      rpc<AdminSavedAction>('save_saved_action', { action_key: actionKey, config, ...extra }),
    getOrganisationSettings: () => rpc<OrganisationSettings>('get_organisation_settings'),
    updateOrganisationSettings: (changes: SettingsChanges) => rpc<OrganisationSettings>('update_organisation_settings', { changes }),
  };
}

export type AdminDefinitionsApi = ReturnType<typeof adminDefinitionsApi>;
