// The Admin pages' calls: workflow definitions, saved actions and organisation settings,
// through the typed RPC helper (lib/api.ts typedRpc): arguments and results are the API
// module's schemas (functions-shared/api/admin.ts, actions.ts), which the contract test
// parses the real results with.
import { typedRpc, type RenubuClient } from '../../lib/api.ts';
import type { RpcResult } from '../../../../functions-shared/api/index.ts';
import type { WorkflowDefinition } from '../../../../functions-shared/admin/workflow-definition.ts';

export type { WorkflowDefinition, WorkflowStep, WorkflowBranch } from '../../../../functions-shared/admin/workflow-definition.ts';

export type DefinitionSummary = RpcResult<'list_workflow_definitions'>[number];
export type DefinitionDetail = RpcResult<'get_workflow_definition'>;
export type AdminSavedAction = RpcResult<'list_saved_actions'>[number];
export type OrganisationSettings = RpcResult<'get_organisation_settings'>;

/** What update_organisation_settings takes: any group, partly (the server merges it). */
export type SettingsChanges = { time_zone?: string } & { [G in Exclude<keyof OrganisationSettings, 'time_zone' | 'updated_at'>]?: Partial<OrganisationSettings[G]> };

export function adminDefinitionsApi(client: RenubuClient) {
  const rpc = typedRpc(client);
  return {
    listWorkflowDefinitions: () => rpc('list_workflow_definitions'),
    getWorkflowDefinition: (workflowKey: string, version?: number) =>
      rpc('get_workflow_definition', { workflow_key: workflowKey, version }),
    saveWorkflowDefinition: (workflowKey: string, definition: WorkflowDefinition, baseVersion: number) =>
      rpc('save_workflow_definition', { workflow_key: workflowKey, definition, base_version: baseVersion }),
    setWorkflowEnabled: (workflowKey: string, enabled: boolean) =>
      rpc('set_workflow_enabled', { workflow_key: workflowKey, enabled }),
    listSavedActions: () => rpc('list_saved_actions'),
    saveSavedAction: (actionKey: string, config: Record<string, unknown>, extra: { name?: string; action_type?: string; description?: string } = {}) =>
      rpc('save_saved_action', { action_key: actionKey, config, ...extra }),
    getOrganisationSettings: () => rpc('get_organisation_settings'),
    updateOrganisationSettings: (changes: SettingsChanges) => rpc('update_organisation_settings', { changes }),
  };
}

export type AdminDefinitionsApi = ReturnType<typeof adminDefinitionsApi>;
