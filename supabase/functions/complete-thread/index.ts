// POST /functions/v1/complete-thread — wiring only; the logic is functions-shared/chat/complete-thread.ts.
import { completeThreadDepsFromEnv, handleCompleteThread } from '../../../functions-shared/chat/complete-thread.ts';

const deps = completeThreadDepsFromEnv(Deno.env.toObject());
Deno.serve((req) => handleCompleteThread(req, deps));
