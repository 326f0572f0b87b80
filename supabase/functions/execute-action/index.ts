// POST /functions/v1/execute-action — wiring only; the logic is functions-shared/actions/handler.ts.
import { executeActionDepsFromEnv, handleExecuteAction } from '../../../functions-shared/actions/handler.ts';

const deps = executeActionDepsFromEnv(Deno.env.toObject());
Deno.serve((req) => handleExecuteAction(req, deps));
