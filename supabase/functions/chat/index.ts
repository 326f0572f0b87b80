// POST /functions/v1/chat — wiring only; the logic is functions-shared/chat/handler.ts.
import { chatDepsFromEnv, handleChat } from '../../../functions-shared/chat/handler.ts';

const deps = chatDepsFromEnv(Deno.env.toObject());
Deno.serve((req) => handleChat(req, deps));
