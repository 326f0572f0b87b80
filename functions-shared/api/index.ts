// The API's one contract: a zod schema for every public RPC's arguments and result
// (the RPCs return jsonb, so the generated Database type says only `Json`) and for every
// Edge Function's request, response and server-sent event (functions.ts). Imported by the
// functions (through callRpc in rpc.ts), the web app and the tests;
// tests/contract/api-schemas.test.ts calls every RPC on the demo data and parses what it
// returns with these schemas, and checks that this list and the database's list agree.
//
// The schemas were first written from what each RPC returned on the demo data, then
// tightened by hand where the SQL allows more (a field that may be null, an empty list).
// A field the server may omit is `.optional()`; objects are not `.strict()`, so a result
// may gain fields without breaking old clients (docs/api.md: "return shapes may grow").
import type { z } from 'zod';
import * as actions from './actions.ts';
import * as admin from './admin.ts';
import * as brief from './brief.ts';
import * as chat from './chat.ts';
import * as customers from './customers.ts';
import * as revenue from './revenue.ts';
import * as tasks from './tasks.ts';
import * as workflow from './workflow.ts';

export const rpcs = { ...actions, ...admin, ...brief, ...chat, ...customers, ...revenue, ...tasks, ...workflow };
export type Rpcs = typeof rpcs;
export type RpcName = keyof Rpcs;
/** The arguments an RPC accepts (optional ones may be left out: the SQL defaults apply). */
export type RpcArgs<N extends RpcName> = z.input<Rpcs[N]['args']>;
/** What an RPC returns. */
export type RpcResult<N extends RpcName> = z.infer<Rpcs[N]['result']>;

export * from './json.ts';
export * from './functions.ts';
