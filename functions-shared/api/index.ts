// The API's one contract: a zod schema for every public RPC's arguments and result
// (the RPCs return jsonb, so the generated Database type says only `Json`) and for every
// Edge Function's request, response and server-sent event (functions.ts). Imported by the
// functions (through callRpc in rpc.ts), the web app and the tests;
// tests/contract/api-schemas.test.ts calls every RPC on the demo data and parses what it
// returns with these schemas, and checks that this list and the database's list agree.
//
// The schemas were first drafted from what each RPC returned on the demo data, then
// written out by hand: shared shapes in shapes.ts (a row as the API shows it), nullable
// where the column or the SQL can give null, enums where the SQL checks a list. A field
// the server may omit is `.optional()`; objects are not `.strict()`, so a result may gain
// fields without breaking old clients (docs/api-contract.md: return shapes may grow), but
// a field renamed or dropped fails the contract test.
import type { z } from 'zod';
import * as actions from './actions.ts';
import * as admin from './admin.ts';
import * as brief from './brief.ts';
import * as chat from './chat.ts';
import * as customers from './customers.ts';
import * as ingest from './ingest.ts';
import * as revenue from './revenue.ts';
import * as tasks from './tasks.ts';
import * as workflow from './workflow.ts';

interface RpcEntry {
  args: z.ZodObject;
  result: z.ZodType;
}
type OnlyRpcs<M> = { [K in keyof M as M[K] extends RpcEntry ? K : never]: M[K] };

/** The RPC entries of an area module (it also exports the shapes its RPCs share). */
function onlyRpcs<M extends object>(module: M): OnlyRpcs<M> {
  return Object.fromEntries(
    Object.entries(module).filter(([, value]) => typeof value === 'object' && value !== null && 'args' in value && 'result' in value),
  ) as OnlyRpcs<M>;
}

/** Every public RPC by name: `rpcs.get_workflow_queue.args`, `rpcs.get_workflow_queue.result`. */
export const rpcs = {
  ...onlyRpcs(actions), ...onlyRpcs(admin), ...onlyRpcs(brief), ...onlyRpcs(chat),
  ...onlyRpcs(customers), ...onlyRpcs(ingest), ...onlyRpcs(revenue), ...onlyRpcs(tasks), ...onlyRpcs(workflow),
};
export type Rpcs = typeof rpcs;
export type RpcName = keyof Rpcs;
/** The arguments an RPC accepts (optional ones may be left out: the SQL defaults apply). */
export type RpcArgs<N extends RpcName> = z.input<Rpcs[N]['args']>;
/** What an RPC returns. */
export type RpcResult<N extends RpcName> = z.infer<Rpcs[N]['result']>;

export * from './json.ts';
export * from './shapes.ts';
export * from './functions.ts';
export { EscalationEntry, QueueFilters, QueueItem, QueueLane, QueueStats, WorkflowExecution } from './workflow.ts';
export { ActionOutcome, SavedAction } from './actions.ts';
export { HistoryPassage, LlmContext, PromptInputs, ToolSpec } from './chat.ts';
export { Contract, CustomerContext, CustomerFilters, LoggableEngagementKind, ScoreIntelligence, StartableWorkflow, TimelineKind } from './customers.ts';
export { TaskRow } from './tasks.ts';
export { ContractExtraction, ExtractedField, FORECAST_CATEGORIES, OUTCOMES } from './revenue.ts';
export { BriefFact, BriefSentence } from './brief.ts';
export * as ingestEvents from './ingest.ts';
export { EXPERIENCE_LEVELS, OrganisationSettings, Person, PERSON_ROLES, WorkflowDefinition, WorkflowDefinitionSummary } from './admin.ts';
