// POST /functions/v1/daily-brief — wiring only; the logic is functions-shared/brief/handler.ts.
import { dailyBriefDepsFromEnv, handleDailyBrief } from '../../../functions-shared/brief/handler.ts';

const deps = dailyBriefDepsFromEnv(Deno.env.toObject());
Deno.serve((req) => handleDailyBrief(req, deps));
