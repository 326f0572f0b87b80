// POST /functions/v1/outbox-drain — wiring only; the logic is functions-shared/actions/drain.ts.
import { handleOutboxDrain, outboxDrainDepsFromEnv } from '../../../functions-shared/actions/drain.ts';

const deps = outboxDrainDepsFromEnv(Deno.env.toObject());
Deno.serve((req) => handleOutboxDrain(req, deps));
